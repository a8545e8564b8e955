package org.sibledger.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.embedded.EmbeddedPostgresServer;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.Waits;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM under load, on the ledger as an operating-system process on its embedded default (issue 19 item 6):
 * six clients enrol participants (two requests in three: POST, each with an Idempotency-Key of its own) and read the
 * bond (GET), one request after another, while a balancer probes the node's readiness; then the process gets SIGTERM.
 * <p>
 * The clients behave as a balancer's connection pool does, which is what the ledger's drain asks of whatever sends
 * to it (README, "Stopping"): they keep their connection open between requests (HTTP/1.1 keep-alive) and open a new
 * one after an answer that says {@code Connection: close}; they send to the node while it is in rotation, and take it
 * out of rotation, sending it nothing more, once it answered 503 {@code shutting-down}, once the balancer's readiness
 * probe (every 250 ms) found it DOWN, or once it refused a connection. They speak HTTP/1.1 over plain sockets, so
 * that every request counts as it went: the JDK's HTTP client would send a GET again after a connection closed under
 * it, and any request again after a refused connection, hiding exactly what is counted here.
 * <p>
 * Each request ends as one of: answered (a status line, headers and the whole body), refused cleanly (503
 * {@code shutting-down}, or the connection refused at connect, nothing sent), or cut off (reset, end of stream, or
 * no answer within 30 s, after the request was sent). Required: none cut off, the probes included; at least one
 * request in flight when the signal was sent answered 2xx; every refusal an RFC 9457 problem with
 * {@code Retry-After} and {@code Connection: close}; the balancer saw readiness DOWN while the node still answered;
 * and, read from the event store once the process has ended, every enrolment answered 2xx stored once, and none that
 * was refused.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): the ledger runs as a process of its own on
 * its own embedded PostgreSQL and broker.
 */
// after the shared PostgreSQL and broker are up: its own servers' ports are not then taken from under them
@ExtendWith(InfrastructureExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class GracefulShutdownTest {

    private static final int CLIENTS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROVIDER = basic("provider");
    private static final String PAYER = basic("payer");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    enum Result { ANSWERED, REFUSED_AT_CONNECT, CUT_OFF }

    /** One request as its client saw it; {@code participantRef} for an enrolment, null for a read. */
    record Outcome(String what, String participantRef, long sentNanos, long endedNanos, Result result, Reply reply,
                   String failure) {

        boolean answered2xx() {
            return result == Result.ANSWERED && reply.status() / 100 == 2;
        }

        boolean refusedShuttingDown() {
            return result == Result.ANSWERED && reply.status() == 503 && reply.body().contains("\"shutting-down\"");
        }

        boolean refused() {
            return result == Result.REFUSED_AT_CONNECT || refusedShuttingDown();
        }

        String label() {
            return switch (result) {
                case ANSWERED -> what + (refusedShuttingDown() ? " refused: 503 shutting-down" : " " + reply.status());
                case REFUSED_AT_CONNECT -> what + " refused at connect";
                case CUT_OFF -> what + " cut off";
            };
        }
    }

    @Test
    void sigtermUnderLoadAnswersWhatItTookRefusesTheRestCleanlyAndResetsNothing() throws Exception {
        int port = LedgerProcess.freePort();
        String bond = "drain-" + System.nanoTime();
        LedgerProcess ledger = LedgerProcess.start(dataDir, port);
        try {
            Api arranger = Api.at(ledger.baseUrl(), "arranger");
            arranger.post("/api/bonds", Terms.rateCard(bond)).expect(201);
            Api.at(ledger.baseUrl(), "investor").post("/api/bonds/" + bond + "/commitments", """
                    {"tranche": "senior", "amount": "1000.00"}""").expect(201);
            arranger.post("/api/bonds/" + bond + "/opening", "").expect(200);
            Api.at(ledger.baseUrl(), "provider").post("/api/bonds/" + bond + "/cohorts", """
                    {"cohortId": "c1", "name": "Cohort 1", "size": 100000, "startDate": "2019-01-01"}""").expect(201);

            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            Balancer balancer = new Balancer(port, outcomes);
            balancer.start();
            assertThat(Waits.lastAnswer(Duration.ofSeconds(10), Duration.ofMillis(20), balancer::everUp, up -> up))
                    .as("the balancer found the node ready").isTrue();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread thread = new Thread(() -> drive(port, bond, client, balancer, outcomes), "client-" + c);
                thread.setDaemon(true);
                thread.start();
                clients.add(thread);
            }
            Waits.lastAnswer(Duration.ofSeconds(60), Duration.ofMillis(20),
                    () -> outcomes.stream().filter(o -> o.participantRef() != null && o.answered2xx()).count(),
                    enrolled -> enrolled >= 60);

            long sigtermAt = System.nanoTime();
            ledger.process().destroy(); // SIGTERM
            for (Thread thread : clients) {
                thread.join(30_000);
                assertThat(thread.isAlive()).as(thread.getName() + " still sending 30 s after SIGTERM").isFalse();
            }
            assertThat(balancer.awaitOut(Duration.ofSeconds(30))).as("the balancer took the node out").isTrue();
            assertThat(ledger.process().waitFor(60, TimeUnit.SECONDS)).as("the ledger stopped").isTrue();
            long stoppedAt = System.nanoTime();
            assertThat(ledger.process().exitValue()).as(ledger.output()).isEqualTo(143);

            Map<String, Long> counts = new TreeMap<>();
            outcomes.forEach(o -> counts.merge(o.label(), 1L, Long::sum));
            long inFlight = outcomes.stream().filter(o -> o.sentNanos() < sigtermAt && o.endedNanos() > sigtermAt
                    && o.answered2xx() && !o.what().equals("readiness")).count();
            Set<String> answered = refs(outcomes, Outcome::answered2xx);
            Set<String> refused = refs(outcomes, Outcome::refused);
            List<String> stored = storedEnrolments(bond);
            System.out.printf("GracefulShutdownTest outcomes: %s; in flight at SIGTERM and answered 2xx: %d; "
                            + "readiness DOWN %d ms after SIGTERM; node stopped %d ms after SIGTERM; enrolments answered 2xx: %d, "
                            + "refused: %d, stored: %d%n",
                    counts, inFlight, TimeUnit.NANOSECONDS.toMillis(balancer.downAt() - sigtermAt),
                    TimeUnit.NANOSECONDS.toMillis(stoppedAt - sigtermAt), answered.size(), refused.size(), stored.size());

            List<Outcome> cutOff = outcomes.stream().filter(o -> o.result() == Result.CUT_OFF).toList();
            assertThat(cutOff).as("requests cut off by the shutdown; all outcomes: " + counts).isEmpty();
            List<Outcome> unexpected = outcomes.stream().filter(o -> o.result() == Result.ANSWERED
                    && !o.answered2xx() && !o.refusedShuttingDown() && !o.what().equals("readiness")).toList();
            assertThat(unexpected).as("answers other than 2xx and 503 shutting-down; all outcomes: " + counts).isEmpty();
            for (Outcome refusal : outcomes.stream().filter(Outcome::refusedShuttingDown).toList()) {
                Reply reply = refusal.reply();
                assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
                JsonNode problem = JSON.readTree(reply.body());
                assertThat(problem.get("type").asText()).isEqualTo("https://sibledger.org/problems/shutting-down");
                assertThat(problem.get("status").asInt()).isEqualTo(503);
                assertThat(reply.header("Retry-After")).as(reply.toString()).isEqualTo("5");
                assertThat(reply.closes()).as("a refusal closes its connection: " + reply).isTrue();
            }
            assertThat(inFlight).as("requests in flight at SIGTERM answered 2xx; all outcomes: " + counts)
                    .isPositive();
            assertThat(balancer.downAt()).as("the balancer's probe found readiness DOWN while the node still answered")
                    .isBetween(sigtermAt, stoppedAt);
            assertThat(ledger.output()).contains("Graceful shutdown complete", "HTTP drained");

            assertThat(stored).as("no enrolment stored twice").doesNotHaveDuplicates();
            assertThat(new TreeSet<>(stored)).as("every enrolment answered 2xx is stored, and nothing else")
                    .isEqualTo(answered);
            assertThat(stored.stream().filter(refused::contains).toList()).as("refused enrolments that are stored")
                    .isEmpty();
        } finally {
            if (ledger.process().isAlive()) {
                ledger.process().destroyForcibly();
            }
        }
    }

    /** Enrols and reads, one request after another, while the node is in rotation and has not said it is stopping. */
    private static void drive(int port, String bond, int client, Balancer balancer, ConcurrentLinkedQueue<Outcome> outcomes) {
        Wire wire = new Wire(port);
        try {
            for (int i = 0; balancer.inRotation(); i++) {
                Outcome outcome;
                if (i % 3 != 2) {
                    String ref = "p-" + client + "-" + i;
                    outcome = wire.send("POST", "/api/bonds/" + bond + "/cohorts/c1/participants",
                            Map.of("Authorization", PROVIDER, "Content-Type", "application/json",
                                    "Idempotency-Key", "enrol-" + client + "-" + i),
                            "[{\"participantRef\": \"" + ref + "\"}]", "POST", ref);
                } else {
                    outcome = wire.send("GET", "/api/bonds/" + bond, Map.of("Authorization", PAYER), null, "GET", null);
                }
                outcomes.add(outcome);
                if (outcome.refused()) {
                    balancer.takeOut(); // the node said it stops, or no longer listens: send it nothing more
                }
            }
        } finally {
            wire.close();
        }
    }

    /**
     * The balancer: probes /actuator/health/readiness every 250 ms (its period, as an orchestrator's periodSeconds) on
     * a new connection, and keeps the node in rotation while it answers 200.
     */
    private static final class Balancer {

        private final int port;
        private final ConcurrentLinkedQueue<Outcome> outcomes;
        private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "balancer");
            thread.setDaemon(true);
            return thread;
        });
        private volatile boolean inRotation = true;
        private volatile boolean everUp;
        private final AtomicLong downAt = new AtomicLong();

        Balancer(int port, ConcurrentLinkedQueue<Outcome> outcomes) {
            this.port = port;
            this.outcomes = outcomes;
        }

        void start() {
            prober.scheduleWithFixedDelay(this::probe, 0, 250, TimeUnit.MILLISECONDS);
        }

        /** Waits until the balancer has taken the node out and stopped probing. */
        boolean awaitOut(Duration within) throws InterruptedException {
            return prober.awaitTermination(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean inRotation() {
            return inRotation;
        }

        boolean everUp() {
            return everUp;
        }

        long downAt() {
            return downAt.get();
        }

        void takeOut() {
            inRotation = false;
        }

        private void probe() {
            Wire wire = new Wire(port);
            Outcome probe = wire.send("GET", "/actuator/health/readiness", Map.of(), null, "readiness", null);
            wire.close();
            outcomes.add(probe);
            if (probe.result() == Result.ANSWERED && probe.reply().status() == 200) {
                everUp = true;
                return;
            }
            if (probe.result() == Result.ANSWERED && probe.reply().status() == 503) {
                downAt.compareAndSet(0, probe.endedNanos());
            }
            inRotation = false;
            prober.shutdown();
        }
    }

    private static Set<String> refs(ConcurrentLinkedQueue<Outcome> outcomes, java.util.function.Predicate<Outcome> which) {
        return outcomes.stream().filter(o -> o.participantRef() != null).filter(which)
                .map(Outcome::participantRef).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The participants the event store has enrolled in the bond, read from its own PostgreSQL after the ledger ended. */
    private List<String> storedEnrolments(String bond) throws Exception {
        List<String> refs = new ArrayList<>();
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0, true);
             Connection sql = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.username(),
                     postgres.password());
             ResultSet rows = sql.createStatement().executeQuery("""
                     SELECT convert_from(payload, 'UTF8') FROM domainevententry
                     WHERE payloadtype LIKE '%ParticipantsEnrolledEvent' ORDER BY globalindex""")) {
            while (rows.next()) {
                JsonNode event = JSON.readTree(rows.getString(1));
                if (event.get("bondId").asText().equals(bond)) {
                    event.get("participantRefs").forEach(ref -> refs.add(ref.asText()));
                }
            }
        }
        return refs;
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    /** An answer as it came: status, headers (names in any case), the whole body. */
    record Reply(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name);
        }

        boolean closes() {
            String connection = headers.get("Connection");
            return connection != null && connection.toLowerCase().contains("close");
        }
    }

    /**
     * One client's HTTP/1.1 connection, kept open between requests until an answer says {@code Connection: close} or
     * the exchange fails; no request is ever sent twice.
     */
    private static final class Wire {

        private final int port;
        private Socket socket;
        private InputStream in;

        Wire(int port) {
            this.port = port;
        }

        Outcome send(String method, String path, Map<String, String> headers, String body, String what, String ref) {
            long started = System.nanoTime();
            if (socket == null) {
                try {
                    Socket opened = new Socket();
                    opened.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                    opened.setSoTimeout(30_000);
                    socket = opened;
                    in = new BufferedInputStream(opened.getInputStream());
                } catch (ConnectException refused) {
                    return new Outcome(what, ref, started, System.nanoTime(), Result.REFUSED_AT_CONNECT, null,
                            refused.getMessage());
                } catch (IOException e) {
                    return new Outcome(what, ref, started, System.nanoTime(), Result.CUT_OFF, null, "connect: " + e);
                }
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            try {
                OutputStream out = socket.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(content);
                out.flush();
                Reply reply = read();
                if (reply.closes()) {
                    close();
                }
                return new Outcome(what, ref, started, System.nanoTime(), Result.ANSWERED, reply, null);
            } catch (IOException e) {
                close();
                return new Outcome(what, ref, started, System.nanoTime(), Result.CUT_OFF, null, e.toString());
            }
        }

        private Reply read() throws IOException {
            String statusLine = line();
            if (statusLine == null) {
                throw new EOFException("the connection ended before an answer");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.merge(header.substring(0, colon).trim(), header.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
                for (int size = chunkSize(); size > 0; size = chunkSize()) {
                    body.write(exactly(size));
                    line();
                }
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers: none expected
                }
            } else if (headers.containsKey("Content-Length")) {
                body.write(exactly(Integer.parseInt(headers.get("Content-Length"))));
            } else if (status != 204 && status != 304) {
                body.write(in.readAllBytes()); // delimited by the end of the connection
            }
            return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
        }

        private int chunkSize() throws IOException {
            String size = line();
            if (size == null) {
                throw new EOFException("the connection ended inside a chunked body");
            }
            int extension = size.indexOf(';');
            return Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
        }

        private byte[] exactly(int length) throws IOException {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new EOFException("the connection ended after " + bytes.length + " of " + length + " bytes");
            }
            return bytes;
        }

        /** A line without its CRLF; null at the end of the stream before any byte of it. */
        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); ; b = in.read()) {
                if (b < 0) {
                    if (line.size() == 0) {
                        return null;
                    }
                    throw new EOFException("the connection ended inside a line");
                }
                if (b == '\n') {
                    break;
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing our own end: nothing to report
                }
                socket = null;
                in = null;
            }
        }
    }
}
