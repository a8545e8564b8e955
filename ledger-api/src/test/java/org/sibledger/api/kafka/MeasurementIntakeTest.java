package org.sibledger.api.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Producers;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.TopicReader;
import org.sibledger.api.support.Terms;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measurements from evaluators' pipelines on sib.measurements.v1, with a real broker: a valid message is recorded, a
 * redelivery with its idempotency key is recorded once, and malformed, unauthorized, unknown-bond and mis-keyed
 * messages go to sib.measurements.v1.rejected with their problem, without holding up the valid message behind them.
 */
class MeasurementIntakeTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOND = "intake-bond";

    @Test
    void eachMessageGetsItsOutcomeAndAPoisonMessageBlocksNothing() throws Exception {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)).status()).isEqualTo(201);
        assertThat(node.api("investor").post("/api/bonds/" + BOND + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").status()).isEqualTo(201);
        assertThat(node.api("arranger").post("/api/bonds/" + BOND + "/opening", "").status()).isEqualTo(200);
        assertThat(node.api("provider").post("/api/bonds/" + BOND + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2019-01-01"}""").status()).isEqualTo(201);
        assertThat(node.api("provider").post("/api/bonds/" + BOND + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}]""").status()).isEqualTo(201);

        long since = System.currentTimeMillis(); // the broker is shared: other tests' rejections came before
        try (KafkaProducer<String, String> producer = Producers.strings()) {
            send(producer, BOND, message("k-valid", "evaluator", BOND, "p-1"));
            send(producer, BOND, message("k-valid", "evaluator", BOND, "p-1"));          // redelivered
            send(producer, BOND, "{\"idempotencyKey\": \"k-broken\", ");                   // malformed JSON
            send(producer, BOND, "\u0000\u00ff garbage \u0001");                           // poison bytes
            send(producer, BOND, message("k-payer", "payer", BOND, "p-2"));               // not the bond's evaluator
            send(producer, "no-such-bond", message("k-unknown", "evaluator", "no-such-bond", "p-2"));
            send(producer, "another-bond", message("k-key", "evaluator", BOND, "p-2"));   // keyed as another bond
            send(producer, BOND, message("k-bad-claim", "evaluator", BOND, "p-9"));        // participant not enrolled
            // strict JSON as on REST (the same ContractsJson, the same measurement reader): a null claim, a key given twice
            send(producer, BOND, message("k-null-claim", "evaluator", BOND, "p-2").replace("\"claims\": [", "\"claims\": [null, "));
            send(producer, BOND, message("k-dup", "evaluator", BOND, "p-2").replace("\"bondId\"", "\"bondId\": \"x\", \"bondId\""));
            send(producer, BOND, message("k-behind", "evaluator", BOND, "p-2"));          // valid, behind them all
        }

        // the broker is shared: only this test's messages, keyed by its bonds
        java.util.function.Predicate<ConsumerRecord<String, String>> ours = r -> r.timestamp() >= since
                && List.of(BOND, "no-such-bond", "another-bond").contains(r.key());
        List<ConsumerRecord<String, String>> rejected = TopicReader.readUntil("sib.measurements.v1.rejected",
                records -> records.stream().filter(ours).count() >= 8).stream().filter(ours).toList();
        Map<String, JsonNode> problems = new HashMap<>();
        for (ConsumerRecord<String, String> record : rejected) {
            JsonNode rejection = read(record.value());
            JsonNode message = rejection.get("message");
            String key = message.isObject() && message.has("idempotencyKey") ? message.get("idempotencyKey").asText()
                    : message.asText().contains("k-broken") ? "k-broken" : message.asText().contains("k-dup") ? "k-dup"
                    : "poison";
            problems.put(key, rejection.get("problem"));
        }
        assertThat(problems.keySet()).containsExactlyInAnyOrder("k-broken", "poison", "k-payer", "k-unknown", "k-key",
                "k-bad-claim", "k-null-claim", "k-dup");
        assertThat(problems.get("k-null-claim").get("code").asText()).isEqualTo("invalid-message");
        assertThat(problems.get("k-null-claim").at("/errors/0/pointer").asText()).isEqualTo("/measurement/claims/0");
        assertThat(problems.get("k-dup").get("code").asText()).isEqualTo("malformed-json");
        assertThat(problems.get("k-dup").get("detail").asText()).contains("Duplicate field 'bondId'");
        assertThat(problems.get("k-broken").get("code").asText()).isEqualTo("malformed-json");
        assertThat(problems.get("poison").get("code").asText()).isEqualTo("malformed-json");
        assertThat(problems.get("k-payer").get("code").asText()).isEqualTo("not-an-evaluator");
        assertThat(problems.get("k-payer").get("status").asInt()).isEqualTo(403);
        assertThat(problems.get("k-unknown").get("code").asText()).isEqualTo("unknown-bond");
        assertThat(problems.get("k-key").get("code").asText()).isEqualTo("key-mismatch");
        assertThat(problems.get("k-bad-claim").get("code").asText()).isEqualTo("unknown-participant");
        assertThat(problems.get("k-bad-claim").at("/errors/0/pointer").asText())
                .isEqualTo("/measurement/claims/0/participantRef");

        Api.Response submissions = node.api("payer").await("/api/bonds/" + BOND + "/measurements",
                r -> r.status() == 200 && r.json().get("totalItems").asInt() >= 2);
        assertThat(submissions.json().get("totalItems").asInt()).isEqualTo(2);
        assertThat(submissions.json().at("/items/0/evaluatorId").asText()).isEqualTo("evaluator");
        assertThat(node.sql().queryForObject("""
                SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?
                AND payloadtype LIKE '%MeasurementSubmittedEvent'""", Integer.class, BOND)).isEqualTo(2);
        assertThat(node.sql().queryForObject("""
                SELECT count(DISTINCT convert_from(metadata, 'UTF8')::jsonb ->> 'idempotencyKey') FROM domainevententry
                WHERE aggregateidentifier = ? AND payloadtype LIKE '%MeasurementSubmittedEvent'""", Integer.class, BOND))
                .isEqualTo(2);
    }

    private static String message(String key, String evaluator, String bond, String participant) {
        return """
                {"idempotencyKey": "%s", "evaluatorId": "%s", "bondId": "%s",
                 "measurement": {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-%s",
                   "claims": [{"participantRef": "%s", "metric": "earns-768", "achievedOn": "2019-06-01",
                               "evidenceRef": "payslip-%s"}]}}""".formatted(key, evaluator, bond, key, participant, key);
    }

    private static void send(KafkaProducer<String, String> producer, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>("sib.measurements.v1", key, value)).get();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
