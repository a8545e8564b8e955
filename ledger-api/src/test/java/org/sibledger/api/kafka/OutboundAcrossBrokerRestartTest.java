package org.sibledger.api.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.embedded.EmbeddedKafkaServer;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.TopicReader;
import org.sibledger.api.support.Waits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound stream across a broker outage, on a broker of this test's own: while the broker is stopped the ledger
 * keeps storing commands; once it is back every event arrives on sib.ledger.events.v1, keyed by bond, in the bond's
 * order, none lost (a re-send after a failed acknowledgement is allowed: consumers de-duplicate by eventId).
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): its ledger node uses a broker of its own
 * (the one it restarts) and a database of its own.
 */
@ExtendWith(InfrastructureExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class OutboundAcrossBrokerRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOND = "outage-bond";

    @Test
    void everyEventArrivesInBondOrderAfterTheBrokerComesBack() throws Exception {
        Path logs = Path.of("target", "outage-broker-" + UUID.randomUUID());
        int port = LedgerProcess.freePort();
        EmbeddedKafkaServer broker = EmbeddedKafkaServer.start(logs, port);
        String bootstrap = broker.bootstrapServers();
        try (LedgerNode node = LedgerNode.start(TestInfrastructure.get().newDatabase(),
                "--spring.kafka.bootstrap-servers=" + bootstrap, "--sib.kafka.send-timeout=5s")) {
            String b = "/api/bonds/" + BOND;
            ok(node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)), 201);
            ok(node.api("investor").post(b + "/commitments", """
                    {"tranche": "senior", "amount": "1000.00"}"""), 201);
            ok(node.api("arranger").post(b + "/opening", ""), 200);
            ok(node.api("provider").post(b + "/cohorts", """
                    {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2019-01-01"}"""), 201);
            ok(node.api("provider").post(b + "/cohorts/c1/participants", """
                    [{"participantRef": "p-1"}, {"participantRef": "p-2"}, {"participantRef": "p-3"}]"""), 201);
            assertThat(TopicReader.readUntil(bootstrap, "sib.ledger.events.v1", r -> r.size() >= 5, Duration.ofSeconds(20)))
                    .hasSizeGreaterThanOrEqualTo(5);

            broker.close();
            // the broker is away: commands are still taken and stored
            List<String> measurements = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                measurements.add(ok(node.api("evaluator").post(b + "/measurements", """
                        {"type": "OUTCOME_CLAIMS", "evidenceRef": "e", "claims": [{"participantRef": "p-%d",
                         "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "ps"}]}""".formatted(i)), 202)
                        .json().get("measurementId").asText());
            }
            for (String id : measurements.subList(0, 2)) {
                ok(node.api("payer").post(b + "/measurements/" + id + "/decision", """
                        {"decision": "APPROVE", "reason": "checked"}"""), 200);
            }
            int stored = node.sql().queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                    Integer.class, BOND);
            assertThat(stored).isEqualTo(5 + 3 + 4);
            // the broker comes back once the ledger has seen it away (its check waits up to 3 s for the cluster)
            Api admin = node.api("admin");
            Api.Response away = Waits.lastAnswer(Duration.ofSeconds(60), Duration.ofMillis(200),
                    () -> admin.get("/actuator/health/kafka"), r -> r.status() == 503);
            assertThat(away.status()).as("Kafka's health while the broker is away: " + away.body()).isEqualTo(503);

            broker = EmbeddedKafkaServer.start(logs, port);
            List<ConsumerRecord<String, String>> records = TopicReader.readUntil(bootstrap, "sib.ledger.events.v1",
                    r -> distinctSequences(r).size() >= stored, Duration.ofSeconds(90));
            List<Long> firstSeen = new ArrayList<>(distinctSequences(records));
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s < stored; s++) {
                expected.add(s);
            }
            assertThat(firstSeen).as("sequences in the order they first arrived").isEqualTo(expected);
            JsonSchema envelopeSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                    OutboundAcrossBrokerRestartTest.class.getResourceAsStream("/schemas/ledger-event-envelope.schema.json"));
            Set<String> eventIds = new LinkedHashSet<>();
            for (ConsumerRecord<String, String> record : records) {
                assertThat(record.key()).isEqualTo(BOND);
                assertThat(envelopeSchema.validate(read(record.value()))).as(record.value()).isEmpty();
                eventIds.add(read(record.value()).get("eventId").asText());
            }
            assertThat(eventIds).containsExactlyInAnyOrderElementsOf(node.sql().queryForList(
                    "SELECT eventidentifier FROM domainevententry WHERE aggregateidentifier = ?", String.class, BOND));
            Api.Response health = node.api("admin").await("/actuator/health",
                    r -> r.body().contains("\"kafka\":{\"status\":\"UP\""));
            assertThat(health.status()).isEqualTo(200);
        } finally {
            broker.close();
        }
    }

    /** The bond sequences of the records, each once, in the order they first arrived (one partition per bond). */
    private static LinkedHashSet<Long> distinctSequences(List<ConsumerRecord<String, String>> records) {
        LinkedHashSet<Long> sequences = new LinkedHashSet<>();
        records.stream().filter(r -> BOND.equals(r.key()))
                .forEach(r -> sequences.add(read(r.value()).get("sequence").asLong()));
        return sequences;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Api.Response ok(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }
}
