package org.sibledger.api.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.LedgerApplication;
import org.sibledger.api.support.Terms;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger as a process on its embedded default, durable as in production: SIGTERM right after an acknowledged
 * write shuts it down cleanly (web server, processors, Kafka, PostgreSQL in that order), and the next start on the
 * same data directory has the write.
 */
class ProcessLifecycleTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    @Test
    void sigtermLosesNoAcknowledgedWriteAndTheNextStartFindsIt() throws Exception {
        int port = freePort();
        String bondId = "sigterm-" + System.nanoTime();

        Ledger first = Ledger.start(dataDir, port);
        HttpResponse<String> created = post(port, Terms.rateCard(bondId));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        int exit = first.stop();
        assertThat(exit).as(first.output()).isEqualTo(143); // the JVM's exit status after SIGTERM
        assertThat(first.output()).contains("Graceful shutdown complete");
        assertThat(first.output()).doesNotContain("Exception", " ERROR ");
        assertThat(Files.exists(dataDir.resolve("postgres/postmaster.pid"))).as("PostgreSQL stopped").isFalse();

        Ledger second = Ledger.start(dataDir, port);
        try {
            HttpResponse<String> bond = awaitOk(port, "/api/bonds/" + bondId);
            assertThat(bond.statusCode()).as(bond.body()).isEqualTo(200);
            assertThat(bond.body()).contains("\"bondId\":\"" + bondId + "\"");
        } finally {
            second.stop();
        }
    }

    /** A ledger process whose output goes to a file, read while it starts and after it ends. */
    private record Ledger(Process process, Path log) {

        static Ledger start(Path dataDir, int port) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = Files.createTempFile(dataDir.getParent(), "ledger", ".log");
            Process process = new ProcessBuilder(java, "-Xmx512m",
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                    "-cp", System.getProperty("java.class.path"), LedgerApplication.class.getName(),
                    "--server.port=" + port, "--sib.data-dir=" + dataDir)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Ledger ledger = new Ledger(process, log);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!ledger.output().contains("SIB outcomes ledger is running")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("the ledger did not start:\n" + ledger.output());
                }
                Thread.sleep(100);
            }
            return ledger;
        }

        int stop() throws InterruptedException {
            process.destroy(); // SIGTERM
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the ledger did not stop within 60 s:\n" + output());
            }
            return process.exitValue();
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static HttpResponse<String> post(int port, String body) throws Exception {
        return HttpClient.newHttpClient().send(request(port, "/api/bonds")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitOk(int port, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        HttpResponse<String> response;
        do {
            response = HttpClient.newHttpClient().send(request(port, path).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return response;
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("arranger:demo".getBytes()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
