package org.sibledger.api.walking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.TopicReader;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.stream.LedgerEventEnvelope;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walking skeleton over real PostgreSQL and Kafka: a structured bond is an event in the store, a row in the
 * read model and a message on the ledger topic; after a restart it is still there and is not published again.
 */
@ExtendWith(InfrastructureExtension.class)
class WalkingSkeletonTest {

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    @Test
    void aStructuredBondIsStoredProjectedPublishedAndSurvivesARestart() throws Exception {
        String db = TestInfrastructure.get().newDatabase();
        String bondId = "skeleton-" + System.nanoTime();
        String secondBond = bondId + "-b";

        try (LedgerNode node = LedgerNode.start(db)) {
            Api arranger = node.api("arranger");
            Api.Response created = arranger.post("/api/bonds", Terms.rateCard(bondId));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.location()).endsWith("/api/bonds/" + bondId);
            assertThat(created.json().get("bondId").asText()).isEqualTo(bondId);

            // 1. the event store holds exactly one BondStructured event, with its actor and hash chain link
            List<Map<String, Object>> events = node.sql().queryForList(
                    "SELECT payloadtype, sequencenumber, convert_from(metadata, 'UTF8') AS metadata "
                            + "FROM domainevententry WHERE aggregateidentifier = ?", bondId);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).get("payloadtype")).isEqualTo("org.sibledger.contracts.bond.BondStructuredEvent");
            assertThat(events.get(0).get("sequencenumber")).isEqualTo(0L);
            JsonNode metadata = JSON.readTree((String) events.get(0).get("metadata"));
            assertThat(metadata.get("actor").asText()).isEqualTo("arranger");
            assertThat(metadata.get("previousHash").asText()).isEqualTo("0".repeat(64));
            String hash = metadata.get("hash").asText();
            assertThat(hash).matches("[0-9a-f]{64}");

            // 2. the projection serves it
            Api.Response bond = arranger.await("/api/bonds/" + bondId, r -> r.status() == 200);
            assertThat(bond.status()).as(bond.toString()).isEqualTo(200);
            assertThat(bond.json().get("name").asText()).isEqualTo("Care leavers rate card " + bondId);
            assertThat(bond.json().get("status").asText()).isEqualTo("STRUCTURED");
            assertThat(bond.json().at("/terms/contractCap").asText()).isEqualTo("2250000.00");
            assertThat(bond.json().get("structuredBy").asText()).isEqualTo("arranger");

            // 3. Kafka carries it, keyed by bond id, in the envelope of API.md
            List<ConsumerRecord<String, String>> published = recordsOf(bondId, 1);
            assertThat(published).hasSize(1);
            assertThat(published.get(0).key()).isEqualTo(bondId);
            JsonNode envelope = JSON.readTree(published.get(0).value());
            assertThat(envelope.get("type").asText()).isEqualTo("BondStructured");
            assertThat(envelope.get("revision").asText()).isEqualTo("1");
            assertThat(envelope.get("bondId").asText()).isEqualTo(bondId);
            assertThat(envelope.get("sequence").asLong()).isZero();
            assertThat(envelope.get("actor").asText()).isEqualTo("arranger");
            assertThat(envelope.get("hash").asText()).isEqualTo(hash);
            assertThat(envelope.get("eventId").asText()).isNotBlank();
            assertThat(envelope.get("occurredAt").asText()).isNotBlank();
            assertThat(envelope.at("/payload/terms/paymentMechanism/prices/0/price").asText()).isEqualTo("2750.00");
        }

        // After a restart on the same database: still there, and not published a second time.
        try (LedgerNode node = LedgerNode.start(db)) {
            Api arranger = node.api("arranger");
            assertThat(arranger.await("/api/bonds/" + bondId, r -> r.status() == 200).status()).isEqualTo(200);
            // A second bond, published after the first only if the publisher resumed from its stored token.
            assertThat(arranger.post("/api/bonds", Terms.rateCard(secondBond)).status()).isEqualTo(201);
            recordsOf(secondBond, 1);
            assertThat(recordsOf(bondId, 1)).hasSize(1);
            assertThat(node.sql().queryForObject(
                    "SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", Long.class, bondId))
                    .isEqualTo(1L);
        }
    }

    private static List<ConsumerRecord<String, String>> recordsOf(String bondId, int atLeast) {
        List<ConsumerRecord<String, String>> all = TopicReader.readUntil(LedgerEventEnvelope.TOPIC,
                records -> records.stream().filter(r -> bondId.equals(r.key())).count() >= atLeast);
        return all.stream().filter(r -> bondId.equals(r.key())).toList();
    }
}
