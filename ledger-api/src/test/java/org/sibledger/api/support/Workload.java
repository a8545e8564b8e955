package org.sibledger.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bond under steady load, as clients that keep their idempotency keys would drive it: providers enrol participants
 * (one event each), the evaluator claims an outcome for each enrolled participant, the payer approves each claim
 * (which triggers a payout). Every command is kept with its key and its fate: acknowledged (2xx), refused (4xx) or
 * unanswered (no answer, or a 5xx). After a fault, {@link #retryUnanswered} sends each unanswered command again with
 * its key, as a client would, and {@link #assertNothingLostNothingDoubled} checks the event store against the
 * acknowledgements.
 */
public final class Workload {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Fate { ACKNOWLEDGED, REFUSED, UNANSWERED }

    /** One command as a client sent it. */
    public static final class Sent {
        final String user;
        final String path;
        final String body;
        final String key;
        final String kind;
        volatile Fate fate;
        volatile String answer;

        Sent(String user, String path, String body, String key, String kind) {
            this.user = user;
            this.path = path;
            this.body = body;
            this.key = key;
            this.kind = kind;
        }
    }

    private final Function<String, Api> apis;
    private final String bondId;
    private final String base;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final BlockingQueue<String> enrolled = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> submitted = new LinkedBlockingQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    public Workload(Function<String, Api> apis, String bondId) {
        this.apis = apis;
        this.bondId = bondId;
        this.base = "/api/bonds/" + bondId;
    }

    /** Structures and opens the bond with one large cohort; must succeed. */
    public Workload setUp() {
        Bonds.openWithCohort(apis, bondId, 100000);
        return this;
    }

    /** Starts {@code enrollers} enrolling threads, one claiming and one approving thread. */
    public Workload start(int enrollers) {
        running.set(true);
        for (int t = 0; t < enrollers; t++) {
            int thread = t;
            threads.add(started("enrol-" + t, () -> {
                for (int i = 0; running.get(); i++) {
                    String ref = "p-" + thread + "-" + i;
                    if (send(new Sent("provider", base + "/cohorts/c1/participants",
                            "[{\"participantRef\": \"" + ref + "\"}]", bondId + "-enrol-" + ref, "enrol")) == Fate.ACKNOWLEDGED) {
                        enrolled.add(ref);
                    }
                }
            }));
        }
        threads.add(started("claim", () -> drain(enrolled, ref -> {
            Sent claim = new Sent("evaluator", base + "/measurements", """
                    {"type": "OUTCOME_CLAIMS", "evidenceRef": "ev-%s", "claims": [{"participantRef": "%s",
                     "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "ev-%s"}]}""".formatted(ref, ref, ref),
                    bondId + "-claim-" + ref, "claim");
            if (send(claim) == Fate.ACKNOWLEDGED) {
                submitted.add(measurementId(claim));
            }
        })));
        threads.add(started("approve", () -> drain(submitted, id ->
                send(new Sent("payer", base + "/measurements/" + id + "/decision", "{\"decision\": \"APPROVE\"}",
                        bondId + "-approve-" + id, "approve")))));
        return this;
    }

    private static Thread started(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }

    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(120_000);
            if (thread.isAlive()) {
                throw new AssertionError("workload thread " + thread.getName() + " still sends two minutes after the stop");
            }
        }
        threads.clear();
    }

    private void drain(BlockingQueue<String> queue, java.util.function.Consumer<String> action) {
        while (running.get()) { // what is still queued at the stop is simply never sent
            try {
                String next = queue.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    action.accept(next);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Fate send(Sent command) {
        sent.put(command.key, command);
        try {
            Api.Response answer = apis.apply(command.user).postWithKey(command.path, command.body, command.key);
            command.answer = answer.status() + " " + answer.body();
            answers.merge(answer.status() >= 400 ? answer.status() + " " + answer.json().path("code").asText()
                    : String.valueOf(answer.status()), 1, Integer::sum);
            command.fate = answer.status() < 300 ? Fate.ACKNOWLEDGED
                    : answer.status() < 500 ? Fate.REFUSED : Fate.UNANSWERED;
        } catch (RuntimeException | AssertionError e) {
            command.answer = e.toString();
            answers.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            command.fate = Fate.UNANSWERED;
            backOff();
        }
        return command.fate;
    }

    /**
     * A client's back-off after a command went unanswered: it waits, at least 50 ms so that it does not spin and at most
     * 5 s, until the ledger answers its liveness probe again, then sends its next command (which finds out the rest).
     */
    private void backOff() {
        try {
            await().pollDelay(Duration.ofMillis(50)).pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5))
                    .ignoreExceptions().until(() -> apis.apply("admin").get("/actuator/health/liveness").status() == 200);
        } catch (ConditionTimeoutException stillAway) {
            // still away: the next command is sent anyway, and goes unanswered or is answered
        }
    }

    /** Sends every unanswered command again with its key until each is answered, or the time is up. */
    public void retryUnanswered(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<Sent> open = sent.values().stream().filter(s -> s.fate == Fate.UNANSWERED).toList();
        for (Sent command : open) {
            Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos()));
            Waits.lastAnswer(left, Duration.ofMillis(200), () -> send(command), fate -> fate != Fate.UNANSWERED);
        }
        assertThat(sent.values().stream().filter(s -> s.fate == Fate.UNANSWERED).map(s -> s.key + ": " + s.answer))
                .as("commands still unanswered").isEmpty();
    }

    public Map<Fate, Long> fates() {
        Map<Fate, Long> fates = new java.util.EnumMap<>(Fate.class);
        sent.values().forEach(s -> fates.merge(s.fate, 1L, Long::sum));
        return fates;
    }

    /** Every answer seen, by status and problem code (or by the exception when there was no answer). */
    public Map<String, Integer> answers() {
        return new java.util.TreeMap<>(answers);
    }

    public long acknowledged() {
        return sent.values().stream().filter(s -> s.fate == Fate.ACKNOWLEDGED).count();
    }

    /**
     * Waits until at least {@code atLeast} commands have been acknowledged in all, at most {@code within}, and
     * returns how many were: the load has run for as long as the caller's scenario needs, measured in commands
     * rather than in seconds (a slow machine simply takes longer).
     */
    public long awaitAcknowledged(long atLeast, Duration within) {
        long seen = Waits.lastAnswer(within, Duration.ofMillis(50), this::acknowledged, n -> n >= atLeast);
        assertThat(seen).as("commands acknowledged within " + within).isGreaterThanOrEqualTo(atLeast);
        return seen;
    }

    public long count() {
        return sent.size();
    }

    /** A refused command is a finding: this workload sends only valid ones. */
    public List<String> refusals() {
        return sent.values().stream().filter(s -> s.fate == Fate.REFUSED).map(s -> s.key + ": " + s.answer).toList();
    }

    private static String measurementId(Sent claim) {
        try {
            return JSON.readTree(claim.answer.substring(claim.answer.indexOf(' ') + 1)).get("measurementId").asText();
        } catch (Exception e) {
            throw new AssertionError("no measurementId in " + claim.answer, e);
        }
    }

    /**
     * Every acknowledged command is in the event store exactly once (each enrolment, each claim, each approval), and
     * no measurement or participant triggered more than one payout. Returns the number of events checked.
     */
    public long assertNothingLostNothingDoubled(JdbcTemplate sql) {
        Map<String, Integer> enrolments = new HashMap<>();
        Map<String, Integer> submissions = new HashMap<>();
        Map<String, Integer> approvals = new HashMap<>();
        Map<String, Integer> payoutsByMeasurement = new HashMap<>();
        Map<String, Integer> payoutsByParticipant = new HashMap<>();
        List<Map<String, Object>> rows = sql.queryForList("""
                SELECT payloadtype, convert_from(payload, 'UTF8') AS payload FROM domainevententry
                WHERE aggregateidentifier = ? ORDER BY sequencenumber""", bondId);
        for (Map<String, Object> row : rows) {
            String type = (String) row.get("payloadtype");
            JsonNode event = read((String) row.get("payload"));
            if (type.endsWith("ParticipantsEnrolledEvent")) {
                event.get("participantRefs").forEach(r -> enrolments.merge(r.asText(), 1, Integer::sum));
            } else if (type.endsWith("MeasurementSubmittedEvent")) {
                submissions.merge(event.get("measurementId").asText(), 1, Integer::sum);
            } else if (type.endsWith("MeasurementApprovedEvent")) {
                approvals.merge(event.get("measurementId").asText(), 1, Integer::sum);
            } else if (type.endsWith("PayoutTriggeredEvent")) {
                payoutsByMeasurement.merge(event.get("measurementId").asText(), 1, Integer::sum);
                payoutsByParticipant.merge(event.get("participantRef").asText(), 1, Integer::sum);
            }
        }
        for (Sent command : sent.values()) {
            if (command.fate != Fate.ACKNOWLEDGED) {
                continue;
            }
            switch (command.kind) {
                case "enrol" -> assertThat(enrolments.get(command.key.substring((bondId + "-enrol-").length())))
                        .as("enrolments of " + command.key).isEqualTo(1);
                case "claim" -> assertThat(submissions.get(measurementId(command)))
                        .as("submissions of " + command.key).isEqualTo(1);
                case "approve" -> {
                    String id = command.key.substring((bondId + "-approve-").length());
                    assertThat(approvals.get(id)).as("approvals of " + id).isEqualTo(1);
                    assertThat(payoutsByMeasurement.get(id)).as("payouts of " + id).isEqualTo(1);
                }
                default -> throw new IllegalStateException(command.kind);
            }
        }
        assertThat(enrolments.values()).as("participants enrolled twice").allMatch(n -> n == 1);
        assertThat(submissions.values()).as("measurements submitted twice").allMatch(n -> n == 1);
        assertThat(approvals.values()).as("measurements approved twice").allMatch(n -> n == 1);
        assertThat(payoutsByMeasurement.values()).as("payouts triggered twice by one measurement").allMatch(n -> n == 1);
        assertThat(payoutsByParticipant.values()).as("payouts triggered twice for one participant").allMatch(n -> n == 1);
        return rows.size();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
