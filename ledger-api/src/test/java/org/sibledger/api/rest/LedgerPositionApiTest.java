package org.sibledger.api.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command's answer carries the bond's position once its events are stored, and a read that asks for that position
 * shows the command: given a client that answers {@code Prefer: wait=0} (no wait for the read models), when it reads
 * back at the position its command's answer gave, then it sees its write.
 */
class LedgerPositionApiTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aReadAtTheCommandsPositionSeesTheCommand() throws Exception {
        HttpResponse<String> structured = send("arranger", "POST", "/api/bonds", Terms.rateCard("positions"), "wait=0");
        assertThat(structured.statusCode()).as(structured.body()).isEqualTo(201);
        assertThat(structured.headers().firstValue("Ledger-Position")).contains("0");

        HttpResponse<String> committed = send("investor", "POST", "/api/bonds/positions/commitments",
                "{\"tranche\": \"senior\", \"amount\": \"500000.00\"}", "wait=0");
        assertThat(committed.statusCode()).as(committed.body()).isEqualTo(201);
        long position = Long.parseLong(committed.headers().firstValue("Ledger-Position").orElseThrow());
        assertThat(position).isEqualTo(1);

        HttpResponse<String> opened = send("arranger", "POST", "/api/bonds/positions/opening", "", "wait=0");
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
        long openedAt = Long.parseLong(opened.headers().firstValue("Ledger-Position").orElseThrow());
        assertThat(openedAt).isGreaterThan(position);

        // as query parameter and as header: the read waits until the bond's read models have passed the position
        HttpResponse<String> read = send("arranger", "GET", "/api/bonds/positions?atLeast=" + openedAt, null, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).contains("\"status\":\"OPEN\"");
        assertThat(Long.parseLong(read.headers().firstValue("Ledger-Position").orElseThrow())).isGreaterThanOrEqualTo(openedAt);
        assertThat(read.headers().firstValue("Ledger-Views-Behind")).isEmpty();
        HttpResponse<String> portfolio = HTTP.send(request("investor", "GET", "/api/bonds/positions/history", null, null)
                .header("Ledger-Position", String.valueOf(openedAt)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(portfolio.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(portfolio.headers().firstValue("Ledger-Position").orElseThrow())).isGreaterThanOrEqualTo(openedAt);
    }

    @Test
    void aPositionThatIsNoneIsRefusedAndAnUnknownBondIsNotWaitedFor() throws Exception {
        HttpResponse<String> bad = send("arranger", "GET", "/api/bonds/positions?atLeast=soon", null, null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid-position");
        assertThat(send("arranger", "GET", "/api/bonds/positions?atLeast=-5", null, null).statusCode()).isEqualTo(400);

        long started = System.nanoTime();
        HttpResponse<String> unknown = send("arranger", "GET", "/api/bonds/no-such-bond?atLeast=7", null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for a bond without events")
                .isLessThan(Duration.ofSeconds(2));
    }

    private static HttpResponse<String> send(String user, String method, String path, String body, String prefer)
            throws Exception {
        return HTTP.send(request(user, method, path, body, prefer).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String user, String method, String path, String body, String prefer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.node().baseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return request;
    }
}
