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
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Cookie", signIn(baseUrl, user)).GET());
        assertThat(page.statusCode()).as(user + " " + path).isEqualTo(200);
        return page.body();
    }

    /**
     * Sends a form to {@code path} as {@code user} would from the page at {@code formPage} (with that page's CSRF
     * token); the answer, whatever its status.
     */
    public static HttpResponse<String> post(String baseUrl, String user, String formPage, String path,
                                            java.util.Map<String, String> fields) throws IOException, InterruptedException {
        String cookie = signIn(baseUrl, user);
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(baseUrl + formPage)).header("Cookie", cookie).GET());
        assertThat(page.statusCode()).as(user + " " + formPage).isEqualTo(200);
        StringBuilder form = new StringBuilder("_csrf=").append(encode(csrf(page.body())));
        fields.forEach((name, value) -> form.append('&').append(encode(name)).append('=').append(encode(value)));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
    }

    /** Signs in through the form; the session cookie. */
    private static String signIn(String baseUrl, String user) throws IOException, InterruptedException {
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(baseUrl + "/login")).GET());
        HttpResponse<String> signedIn = send(HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                .header("Cookie", session(login)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=demo&_csrf=" + csrf(login.body()))));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        return session(signedIn);
    }

    private static String csrf(String page) {
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("a form with a CSRF token").isTrue();
        return csrf.group(1);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String session(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).reduce((first, last) -> last).orElseThrow();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
