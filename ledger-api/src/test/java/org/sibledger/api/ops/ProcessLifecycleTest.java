package org.sibledger.api.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.Waits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger as a process on its embedded default, durable as in production: SIGTERM right after an acknowledged
 * write shuts it down cleanly (web server, processors, Kafka, PostgreSQL in that order), and the next start on the
 * same data directory has the write.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): the ledger runs as a process of its own on
 * its own embedded PostgreSQL and broker.
 */
// after the shared PostgreSQL and broker are up: its own servers' ports are not then taken from under them
@ExtendWith(InfrastructureExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class ProcessLifecycleTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    @Test
    void sigtermLosesNoAcknowledgedWriteAndTheNextStartFindsIt() throws Exception {
        int port = LedgerProcess.freePort();
        String bondId = "sigterm-" + System.nanoTime();

        LedgerProcess first = LedgerProcess.start(dataDir, port);
        HttpResponse<String> created = post(port, Terms.rateCard(bondId));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int exit = first.stop();
        assertThat(exit).as(first.output()).isEqualTo(143); // the JVM's exit status after SIGTERM
        assertThat(first.output()).contains("Graceful shutdown complete");
        assertThat(first.output()).doesNotContain("Exception", " ERROR ");
        assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).as("PostgreSQL stopped").isFalse();

        LedgerProcess second = LedgerProcess.start(dataDir, port);
        try {
            HttpResponse<String> bond = awaitOk(port, "/api/bonds/" + bondId);
            assertThat(bond.statusCode()).as(bond.body()).isEqualTo(200);
            assertThat(bond.body()).contains("\"bondId\":\"" + bondId + "\"");
        } finally {
            second.stop();
        }
    }

    private static HttpResponse<String> post(int port, String body) throws Exception {
        return HttpClient.newHttpClient().send(request(port, "/api/bonds")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitOk(int port, String path) throws Exception {
        return Waits.lastAnswer(Duration.ofSeconds(15), Duration.ofMillis(100),
                () -> HttpClient.newHttpClient().send(request(port, path).GET().build(), HttpResponse.BodyHandlers.ofString()),
                response -> response.statusCode() == 200);
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("arranger:demo".getBytes()));
    }
}
