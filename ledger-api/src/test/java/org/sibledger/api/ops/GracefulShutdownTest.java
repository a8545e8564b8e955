package org.sibledger.api.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.Waits;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM under load, on the ledger as a process on its embedded default: eight clients on kept-alive HTTP/1.1
 * connections enrol participants (POST, with an Idempotency-Key, which no HTTP client retries by itself) and read the
 * bond as fast as they are answered. Every request gets an answer (a status, with its body whole) or is refused at
 * connection time, once the server has stopped taking connections; none is cut off (reset, or closed before its
 * answer). Requests in flight when the signal came are answered 2xx.
 */
class GracefulShutdownTest {

    private static final int CLIENTS = 8;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    /** One request as a client saw it. */
    record Outcome(String kind, long startedNanos, long endedNanos, int status, String failure) {
    }

    @Test
    void sigtermUnderLoadAnswersWhatItTookAndResetsNothing() throws Exception {
        int port = LedgerProcess.freePort();
        String bond = "drain-" + System.nanoTime();
        LedgerProcess ledger = LedgerProcess.start(dataDir, port);
        Api arranger = Api.at(ledger.baseUrl(), "arranger");
        arranger.post("/api/bonds", Terms.rateCard(bond)).expect(201);
        Api.at(ledger.baseUrl(), "investor").post("/api/bonds/" + bond + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        arranger.post("/api/bonds/" + bond + "/opening", "").expect(200);
        Api.at(ledger.baseUrl(), "provider").post("/api/bonds/" + bond + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 100000, "startDate": "2019-01-01"}""").expect(201);

        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicLong sigtermAt = new AtomicLong(Long.MAX_VALUE);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread thread = new Thread(() -> drive(ledger, bond, client, outcomes), "client-" + c);
            thread.start();
            clients.add(thread);
        }
        Waits.lastAnswer(Duration.ofSeconds(60), Duration.ofMillis(50),
                () -> outcomes.stream().filter(o -> o.status() / 100 == 2).count(), answered -> answered >= 200);

        sigtermAt.set(System.nanoTime());
        ledger.process().destroy(); // SIGTERM
        for (Thread thread : clients) {
            thread.join(90_000);
            assertThat(thread.isAlive()).as(thread.getName() + " still sending 90 s after SIGTERM").isFalse();
        }
        assertThat(ledger.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(ledger.process().exitValue()).as(ledger.output()).isEqualTo(143);

        Map<String, Long> byResult = new TreeMap<>();
        outcomes.forEach(o -> byResult.merge(o.failure() != null ? o.failure() : o.kind() + " " + o.status(), 1L, Long::sum));
        List<Outcome> cutOff = outcomes.stream()
                .filter(o -> o.failure() != null && !o.failure().equals("refused at connect")).toList();
        assertThat(cutOff).as("requests cut off by the shutdown; all outcomes: " + byResult).isEmpty();
        assertThat(outcomes.stream().filter(o -> o.status() >= 500 && o.status() != 503).toList())
                .as("answers other than the ledger's own 503 while stopping: " + byResult).isEmpty();
        long inFlight = outcomes.stream().filter(o -> o.startedNanos() < sigtermAt.get()
                && o.endedNanos() > sigtermAt.get() && o.status() / 100 == 2).count();
        assertThat(inFlight).as("requests in flight at SIGTERM, answered 2xx; all outcomes: " + byResult)
                .isGreaterThan(0);
        assertThat(outcomes.stream().filter(o -> "refused at connect".equals(o.failure())).count())
                .as("each client ends refused at connect: " + byResult).isEqualTo(CLIENTS);
        assertThat(ledger.output()).contains("Graceful shutdown complete");
        System.out.println("GracefulShutdownTest outcomes: " + byResult + ", in flight at SIGTERM and answered 2xx: " + inFlight);
    }

    /** Sends until the ledger refuses a connection (it has stopped listening) or its process has ended. */
    private static void drive(LedgerProcess ledger, String bond, int client, ConcurrentLinkedQueue<Outcome> outcomes) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String provider = "Basic " + Base64.getEncoder().encodeToString("provider:demo".getBytes());
        String payer = "Basic " + Base64.getEncoder().encodeToString("payer:demo".getBytes());
        for (int i = 0; ledger.process().isAlive(); i++) {
            boolean write = i % 2 == 0;
            HttpRequest request = write
                    ? HttpRequest.newBuilder(URI.create(ledger.baseUrl() + "/api/bonds/" + bond + "/cohorts/c1/participants"))
                    .header("Authorization", provider).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "enrol-" + client + "-" + i)
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"participantRef\": \"p-" + client + "-" + i + "\"}]"))
                    .timeout(Duration.ofSeconds(60)).build()
                    : HttpRequest.newBuilder(URI.create(ledger.baseUrl() + "/api/bonds/" + bond))
                    .header("Authorization", payer).GET().timeout(Duration.ofSeconds(60)).build();
            String kind = write ? "POST" : "GET";
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                outcomes.add(new Outcome(kind, started, System.nanoTime(), response.statusCode(), null));
            } catch (ConnectException refused) {
                outcomes.add(new Outcome(kind, started, System.nanoTime(), 0, "refused at connect"));
                return;
            } catch (IOException e) {
                outcomes.add(new Outcome(kind, started, System.nanoTime(), 0, kind + " " + e.getClass().getSimpleName()
                        + ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
