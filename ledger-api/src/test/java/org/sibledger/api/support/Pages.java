package org.sibledger.api.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Pages as a browser gets them: signed in through the form (with its CSRF token), then read with the session cookie. */
public final class Pages {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Pages() {
    }

    /** The page at {@code path} as {@code user} (password demo) sees it; asserts a 200. */
    public static String get(String baseUrl, String user, String path) throws IOException, InterruptedException {
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(baseUrl + "/login")).GET());
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(login.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> signedIn = send(HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                .header("Cookie", session(login)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=demo&_csrf=" + csrf.group(1))));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Cookie", session(signedIn)).GET());
        assertThat(page.statusCode()).as(user + " " + path).isEqualTo(200);
        return page.body();
    }

    private static String session(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).reduce((first, last) -> last).orElseThrow();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
