package org.sibledger.api.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's curl examples for a bond of one's own, as written, against a ledger with the demo users: each line's
 * user, method, headers, body file (from the repository's root) and URL are taken from the line itself, and each
 * must succeed; the last one shows the payouts the approval triggered.
 */
class ReadmeCurlTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern TOKEN = Pattern.compile("'([^']*)'|(\\S+)");

    @Test
    void theCurlExamplesWorkAsPasted() throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md")).stream()
                .filter(l -> l.startsWith("curl ") && (l.contains("sample-rate-card") || l.contains("deploy/samples/"))).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(8);
        HttpResponse<String> last = null;
        for (String line : lines) {
            last = run(line);
            assertThat(last.statusCode()).as(line + " answered " + last.body()).isBetween(200, 299);
        }
        assertThat(last.body()).contains("\"measurementId\":\"m-sample-1\"").contains("\"status\":\"TRIGGERED\"")
                .contains("2750.00");
    }

    private static HttpResponse<String> run(String line) throws IOException, InterruptedException {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(line);
        while (m.find()) {
            tokens.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        String method = null;
        String url = null;
        byte[] body = null;
        HttpRequest.Builder request = HttpRequest.newBuilder();
        for (int i = 1; i < tokens.size(); i++) {
            switch (tokens.get(i)) {
                case "-u" -> request.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(tokens.get(++i).getBytes(StandardCharsets.UTF_8)));
                case "-H" -> {
                    String[] header = tokens.get(++i).split(":\\s*", 2);
                    request.header(header[0], header[1]);
                }
                case "-X" -> method = tokens.get(++i);
                case "-d" -> {
                    String data = tokens.get(++i);
                    body = data.startsWith("@") ? Files.readAllBytes(ROOT.resolve(data.substring(1)))
                            : data.getBytes(StandardCharsets.UTF_8);
                }
                default -> url = tokens.get(i);
            }
        }
        assertThat(url).startsWith("localhost:8080/");
        request.uri(URI.create(node.node().baseUrl() + url.substring("localhost:8080".length())));
        if (body != null) {
            // curl -d posts the file as it is, with the type the line gives (curl's default otherwise)
            request.method(method == null ? "POST" : method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method == null ? "GET" : method, HttpRequest.BodyPublishers.noBody());
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
