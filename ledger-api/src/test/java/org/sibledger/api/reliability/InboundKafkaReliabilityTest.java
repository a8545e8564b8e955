package org.sibledger.api.reliability;

import org.sibledger.api.support.Waits;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Producers;
import org.sibledger.api.support.ReliabilityReport;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.TopicReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Inbound measurements under the faults Kafka itself brings and under hostile producers: redelivered and reordered
 * messages are each recorded once; 10,000 generated malformed or hostile messages each end on the rejected topic with
 * a problem, record nothing, and block nothing (a valid message sent after them is recorded).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InboundKafkaReliabilityTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOND = "inbound-bond";
    private static final int PARTICIPANTS = 200;
    private static final int FUZZ = 10_000;

    @Test
    @Order(1)
    void redeliveredAndReorderedMessagesAreEachRecordedOnce() throws Exception {
        prepareBond();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < PARTICIPANTS; i++) {
            messages.add(claim("redelivery-" + i, "evaluator", BOND, "p-" + i));
        }
        List<String> traffic = new ArrayList<>(messages);
        traffic.addAll(messages);                          // every message delivered twice
        traffic.addAll(messages.subList(0, 50));           // some three times
        Collections.shuffle(traffic, new Random(20261128L)); // in no particular order
        try (KafkaProducer<String, String> producer = Producers.strings()) {
            for (String message : traffic) {
                producer.send(new ProducerRecord<>("sib.measurements.v1", BOND, message));
            }
            producer.flush();
        }
        Waits.lastAnswer(Duration.ofSeconds(60), Duration.ofMillis(200), InboundKafkaReliabilityTest::submitted, n -> n >= PARTICIPANTS);
        // and it stays so for a second, when a late duplicate would land
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(submitted()).as("measurements recorded").isEqualTo(PARTICIPANTS));
        assertThat(node.sql().queryForObject("""
                SELECT count(DISTINCT convert_from(metadata, 'UTF8')::jsonb ->> 'idempotencyKey') FROM domainevententry
                WHERE aggregateidentifier = ? AND payloadtype LIKE '%MeasurementSubmittedEvent'""", Integer.class, BOND))
                .as("distinct keys recorded").isEqualTo(PARTICIPANTS);
        ReliabilityReport.add("Kafka redelivers and reorders inbound measurements",
                traffic.size() + " messages: " + PARTICIPANTS + " measurements, each delivered 2 or 3 times, shuffled",
                "nothing, and nothing doubled: each measurement recorded once");
    }

    @Test
    @Order(2)
    void tenThousandHostileMessagesAreRejectedRecordNothingAndBlockNothing() throws Exception {
        long eventsBefore = events();
        Random random = new Random(20261129L);
        List<Supplier<String[]>> generators = hostileGenerators(random);
        Map<Integer, Integer> byGenerator = new TreeMap<>();
        Set<String> produced = new HashSet<>();
        try (KafkaProducer<String, String> producer = Producers.strings()) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < FUZZ; i++) {
                int pick = random.nextInt(generators.size());
                byGenerator.merge(pick, 1, Integer::sum);
                String[] keyAndValue = generators.get(pick).get();
                sent.add(producer.send(new ProducerRecord<>("sib.measurements.v1", keyAndValue[0], keyAndValue[1])));
            }
            for (Future<RecordMetadata> metadata : sent) {
                RecordMetadata m = metadata.get();
                produced.add(m.partition() + "@" + m.offset());
            }
            producer.send(new ProducerRecord<>("sib.measurements.v1", BOND,
                    claim("after-the-fuzz", "evaluator", BOND, "p-0-late"))).get();
        }
        // each rejection is parsed once, as it arrives: the reader asks after every poll whether all are in
        Ours ours = new Ours(produced);
        ours.readFrom(TopicReader.readUntil(TestInfrastructure.get().bootstrapServers(), "sib.measurements.v1.rejected",
                records -> ours.readFrom(records) >= FUZZ, Duration.ofSeconds(240)));
        List<JsonNode> rejections = ours.rejections;
        Map<String, Integer> codes = new TreeMap<>();
        for (JsonNode rejection : rejections) {
            codes.merge(rejection.at("/problem/status").asInt() + " " + rejection.at("/problem/code").asText(), 1, Integer::sum);
        }
        System.out.println("Kafka fuzz: " + FUZZ + " messages by generator " + byGenerator + ", rejections " + codes);
        assertThat(rejections).as("hostile messages on the rejected topic").hasSize(FUZZ);
        assertThat(codes.keySet()).as("every rejection is a 4xx problem").allMatch(code -> code.startsWith("4"));

        Waits.lastAnswer(Duration.ofSeconds(30), Duration.ofMillis(100), InboundKafkaReliabilityTest::events, n -> n != eventsBefore);
        assertThat(events()).as("events: only the valid message sent after the fuzz").isEqualTo(eventsBefore + 1);
        ReliabilityReport.add("Inbound Kafka fuzz (sib.measurements.v1)",
                FUZZ + " malformed or hostile messages: broken JSON, garbage bytes, wrong types, huge numbers, "
                        + "bad money, unknown bonds, participants and metrics, wrong evaluators, injection strings, "
                        + "oversized; then one valid message; rejections " + codes,
                "nothing: all " + FUZZ + " rejected with a 4xx problem, none recorded, the valid one behind them recorded");
    }

    /** The rejections of the messages this test produced, among the records of the rejected topic read so far. */
    private static final class Ours {
        final List<JsonNode> rejections = new ArrayList<>();
        private final Set<String> produced;
        private int read;

        Ours(Set<String> produced) {
            this.produced = produced;
        }

        /** Takes the records not yet seen (the list only grows) and answers how many of ours there are now. */
        int readFrom(List<ConsumerRecord<String, String>> records) {
            for (; read < records.size(); read++) {
                JsonNode rejection = read(records.get(read).value());
                if (rejection.path("topic").asText().equals("sib.measurements.v1")
                        && produced.contains(rejection.path("partition").asInt() + "@" + rejection.path("offset").asLong())) {
                    rejections.add(rejection);
                }
            }
            return rejections.size();
        }
    }

    private static final String[] HOSTILE = {
            "'; DROP TABLE domainevententry; --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}",
            "../../etc/passwd", "\\u0000", "\uD83D\uDCA3", "null", "-1", "NaN", "1e400", "9".repeat(300), "0.001",
            "-0.01", "", " "};

    private static List<Supplier<String[]>> hostileGenerators(Random random) {
        Supplier<String> h = () -> HOSTILE[random.nextInt(HOSTILE.length)] + (random.nextBoolean() ? "" : random.nextInt());
        Supplier<String> key = () -> "fuzz-" + random.nextLong();
        return List.of(
                // broken JSON and garbage
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, "p-1").substring(0, 1 + random.nextInt(100))},
                () -> new String[]{BOND, "\u0000\u00ff" + random.nextLong() + "\u0001"},
                () -> new String[]{BOND, "[".repeat(1500 + random.nextInt(2000))},
                () -> new String[]{BOND, random.nextBoolean() ? "null" : String.valueOf(random.nextLong())},
                // wrong types and huge numbers
                () -> new String[]{BOND, "{\"idempotencyKey\": " + random.nextInt() + ", \"evaluatorId\": \"evaluator\", \"bondId\": \""
                        + BOND + "\", \"measurement\": {\"type\": \"OUTCOME_CLAIMS\"}}"},
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, "p-1").replace("\"claims\": [", "\"claims\": 1e400, \"x\": [")},
                () -> new String[]{BOND, "{\"idempotencyKey\": \"" + key.get() + "\", \"evaluatorId\": \"evaluator\", \"bondId\": \""
                        + BOND + "\", \"measurement\": {\"type\": \"COHORT_RESULT\", \"cohortId\": \"c1\", \"metric\": \"earns-768\", "
                        + "\"period\": \"2019\", \"achieved\": " + (random.nextBoolean() ? "99999999999999999999999" : "-1")
                        + ", \"evidenceRef\": \"e\"}}"},
                // bad money
                () -> new String[]{BOND, "{\"idempotencyKey\": \"" + key.get() + "\", \"evaluatorId\": \"evaluator\", \"bondId\": \""
                        + BOND + "\", \"measurement\": {\"type\": \"SAVINGS\", \"period\": \"2019\", \"evidenceRef\": \"e\", "
                        + "\"amount\": " + badMoney(random) + "}}"},
                // unknown ids
                () -> new String[]{"no-such-" + Math.abs(random.nextInt()), claim(key.get(), "evaluator", "no-such-bond", "p-1")},
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, "p-unknown-" + Math.abs(random.nextInt()))},
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, "p-1").replace("earns-768", quotedless(h.get()))},
                // wrong principals and keys
                () -> new String[]{BOND, claim(key.get(), random.nextBoolean() ? "payer" : quotedless(h.get()), BOND, "p-1")},
                () -> new String[]{"another-fuzz-bond", claim(key.get(), "evaluator", BOND, "p-1")},
                // injection strings where identifiers go
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, quotedless(h.get()))},
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, "p-1").replace("2019-06-01", quotedless(h.get()))},
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, "p-1").replace("OUTCOME_CLAIMS", quotedless(h.get()))},
                // oversized
                () -> new String[]{BOND, claim(key.get(), "evaluator", BOND, "p-1").replace("\"evidenceRef\": \"batch",
                        "\"evidenceRef\": \"" + "x".repeat(random.nextInt(50) == 0 ? 500_000 : 20_000))},
                () -> new String[]{BOND, claim("k".repeat(201 + random.nextInt(1000)), "evaluator", BOND, "p-1")});
    }

    private static String badMoney(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "1000.00";
            case 1 -> "\"-" + random.nextInt(10_000) + ".00\"";
            case 2 -> "\"" + random.nextInt(1000) + ".001\"";
            case 3 -> "\"1e" + random.nextInt(400) + "\"";
            default -> "\"" + "9".repeat(400) + "\"";
        };
    }

    /** Text safe to put between JSON quotes: the hostile value, with quotes and backslashes escaped. */
    private static String quotedless(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String claim(String key, String evaluator, String bond, String participant) {
        return """
                {"idempotencyKey": "%s", "evaluatorId": "%s", "bondId": "%s",
                 "measurement": {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-1",
                   "claims": [{"participantRef": "%s", "metric": "earns-768", "achievedOn": "2019-06-01",
                               "evidenceRef": "payslip-1"}]}}""".formatted(key, evaluator, bond, participant);
    }

    private static void prepareBond() {
        Bonds.openWithCohort(node::api, BOND, 1000);
        List<String> refs = new ArrayList<>(Bonds.participants(PARTICIPANTS));
        refs.add("p-0-late");
        Bonds.enrol(node::api, BOND, refs);
    }

    private static int submitted() {
        return node.sql().queryForObject("""
                SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?
                AND payloadtype LIKE '%MeasurementSubmittedEvent'""", Integer.class, BOND);
    }

    private static long events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }
}
