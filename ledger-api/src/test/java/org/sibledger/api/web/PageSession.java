package org.sibledger.api.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser's session without the browser: signed in through the form, it reads pages with its cookies and
 * posts forms with the CSRF token of the last page read, following nothing, so a test sees each redirect and its
 * flash message on the page that follows.
 */
final class PageSession {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    record Page(int status, String body, String location, String contentType) {
    }

    private final String baseUrl;
    private final Map<String, String> cookies = new java.util.LinkedHashMap<>();
    private String csrf;

    private PageSession(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    static PageSession signIn(String baseUrl, String user) {
        PageSession session = new PageSession(baseUrl);
        Page login = session.get("/login");
        Page signedIn = session.post("/login", Map.of("username", List.of(user), "password", List.of("demo")));
        assertThat(signedIn.status()).as("sign-in of " + user + " " + login.status()).isEqualTo(302);
        assertThat(signedIn.location()).doesNotContain("error");
        return session;
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/html").GET());
    }

    /** A file the page links to (a report), as bytes; 200 expected. */
    byte[] download(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).GET();
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A form post, with this session's CSRF token; values may repeat (several checkboxes of one name). */
    Page post(String path, Map<String, List<String>> form) {
        String body = form.entrySet().stream().flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        body = body + (body.isEmpty() ? "" : "&") + "_csrf=" + encode(csrf);
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * A form post as a browser sends one with a file (multipart/form-data), with this session's CSRF token: the
     * fields, and one file under {@code fileField}.
     */
    Page postFile(String path, Map<String, String> fields, String fileField, String fileName, String content) {
        String boundary = "----form" + java.util.UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(fields);
        all.put("_csrf", csrf);
        all.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(fileField).append("\"; filename=\"")
                .append(fileName).append("\"\r\nContent-Type: ")
                .append(fileName.endsWith(".json") ? "application/json" : "text/csv").append("\r\n\r\n")
                .append(content).append("\r\n")
                .append("--").append(boundary).append("--\r\n");
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Accept", "text/html")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    /** Posts, then reads the page the answer redirects to (where the flash message shows). */
    Page postAndFollow(String path, Map<String, List<String>> form) {
        Page answer = post(path, form);
        assertThat(answer.status()).as(answer.body()).isEqualTo(302);
        String location = answer.location();
        return get(location.startsWith("http") ? URI.create(location).getRawPath()
                + (URI.create(location).getRawQuery() == null ? "" : "?" + URI.create(location).getRawQuery()) : location);
    }

    /** A form post with one file and no other field. */
    Page postFile(String path, String field, String filename, String content) {
        return postFile(path, Map.of(), field, filename, content);
    }

    private Page send(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String pair = set.contains(";") ? set.substring(0, set.indexOf(';')) : set;
                cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            Matcher token = CSRF.matcher(response.body());
            if (token.find()) {
                csrf = token.group(1);
            }
            return new Page(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
