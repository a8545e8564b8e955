package org.sibledger.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.TestInfrastructure;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a request meets while a node stops (its context closing, as on SIGTERM), before the web server stops
 * listening: readiness is DOWN and liveness still UP; a command is refused with 503 shutting-down (an RFC 9457
 * problem, Retry-After, Connection: close) and records nothing, not even its Idempotency-Key; a page is refused with
 * the app's error page in the reader's language (the one its cookie remembers); and once no request has come for the quiet period
 * (sib.shutdown.quiet, here 3 s so that the test's requests fall within it), the node stops listening.
 */
@ExtendWith(InfrastructureExtension.class)
class StoppingRefusalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void whileStoppingNewRequestsAreRefusedCleanlyAndRecordNothing() throws Exception {
        String bond = "stopping-" + System.nanoTime();
        LedgerNode node = LedgerNode.start(TestInfrastructure.get().newDatabase(), "--sib.shutdown.quiet=3s");
        String base = node.baseUrl();
        int port = node.webServer().getPort();
        JdbcTemplate sql = node.sql();
        node.api("arranger").post("/api/bonds", Terms.rateCard(bond)).expect(201);
        Integer events = sql.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Integer.class, bond);
        assertThat(events).as("the bond's events in the store").isPositive();

        Thread closing = new Thread(node::close, "closing");
        closing.start();
        try {
            Api.Response readiness = node.anonymous().await("/actuator/health/readiness", r -> r.status() == 503);
            assertThat(readiness.status()).as("readiness while stopping: " + readiness.body()).isEqualTo(503);
            assertThat(node.anonymous().get("/actuator/health/liveness").status()).as("liveness while stopping")
                    .isEqualTo(200);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> command = http.send(HttpRequest.newBuilder(URI.create(base + "/api/bonds/" + bond + "/commitments"))
                    .header("Authorization", basic("investor")).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "while-stopping")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tranche\": \"senior\", \"amount\": \"1000.00\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(command.statusCode()).as(command.body()).isEqualTo(503);
            assertThat(command.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(command.body());
            assertThat(problem.get("type").asText()).isEqualTo("https://sibledger.org/problems/shutting-down");
            assertThat(problem.get("code").asText()).isEqualTo("shutting-down");
            assertThat(problem.get("detail").asText()).contains("nothing was recorded", "Idempotency-Key");
            assertThat(command.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(command.headers().firstValue("Connection")).hasValue("close");

            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/app/bonds"))
                    .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            assertThat(page.body()).contains("data-testid=\"error-page\"", "This server of the ledger is stopping",
                    "nothing was recorded by this one").doesNotContain("{\"type\"");
            HttpResponse<String> hebrew = http.send(HttpRequest.newBuilder(URI.create(base + "/app/bonds"))
                    .header("Accept", "text/html").header("Cookie", "sib-lang=he").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hebrew.statusCode()).isEqualTo(503);
            assertThat(hebrew.body()).contains("שרת זה של המערכת נעצר כעת");

            closing.join(30_000);
            assertThat(closing.isAlive()).as("the node stopped once no request came for the quiet period").isFalse();
        } finally {
            if (closing.isAlive()) {
                closing.join(60_000);
            }
        }
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .as("the node no longer listens").isInstanceOf(ConnectException.class);
        assertThat(sql.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Integer.class, bond)).as("no event recorded while stopping").isEqualTo(events);
        assertThat(sql.queryForObject("SELECT count(*) FROM idempotency_record WHERE idem_key = 'while-stopping'",
                Integer.class)).as("the refused command's Idempotency-Key is free").isZero();
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes());
    }
}
