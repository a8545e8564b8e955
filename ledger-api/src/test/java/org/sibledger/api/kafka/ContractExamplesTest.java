package org.sibledger.api.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Producers;
import org.sibledger.api.support.TopicReader;
import org.sibledger.api.support.Waits;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example message of contracts/examples goes through the JSON Schema (the networknt validator, loading the
 * schema files as an integrator would) and through the ledger, by REST and by Kafka, on the demo bonds: the verdicts
 * must agree, and each example's folder (valid/ or invalid/) must name that verdict. The rejections the ledger
 * publishes and the events it publishes must fit their schemas, and so must the rejection and envelope examples.
 */
class ContractExamplesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension("--demo");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLES = Path.of("..", "contracts", "examples");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    @Test
    void everyExampleGetsTheSameVerdictFromTheSchemaAndFromTheLedger() throws Exception {
        JsonSchema message = schema("measurement-message");
        JsonSchema submission = FACTORY.getSchema(com.networknt.schema.SchemaLocation.of(
                "classpath:schemas/measurement-message.schema.json#/$defs/submission"), CONFIG);
        JsonSchema rejection = schema("measurement-rejection");
        JsonSchema envelope = schema("ledger-event-envelope");
        for (String bond : List.of("reboot-west", "peterborough", "educate-girls", "tel-aviv-loneliness", "families-employment")) {
            node.api("arranger").await("/api/bonds/" + bond + "/measurements", r -> r.status() == 200
                    && r.json().get("totalItems").asInt() >= 1);
        }

        // the examples name demo bonds, whose stories move on (Peterborough and Tel Aviv have matured, Reboot West's
        // participants are its story's): they go to open copies of those bonds' terms, with the participants they name
        Map<String, JsonNode> examples = examples("measurement-message");
        Map<String, String> copies = Map.of(
                "peterborough", openCopy("2-peterborough", "peterborough", "senior", examples),
                "tel-aviv-loneliness", openCopy("4-tel-aviv-loneliness", "tel-aviv-loneliness", "anchor", examples),
                "reboot-west", openCopy("1-reboot-west", "reboot-west", "senior", examples));
        examples.values().forEach(example -> {
            String copy = copies.get(example.path("bondId").asText());
            if (copy != null) {
                ((ObjectNode) example).put("bondId", copy);
            }
        });
        assertThat(examples).hasSizeGreaterThan(40);
        Map<String, Boolean> schemaVerdict = new LinkedHashMap<>();
        examples.forEach((name, example) -> schemaVerdict.put(name, message.validate(example).isEmpty()));
        // the folder says what the schema must decide
        examples.keySet().forEach(name -> assertThat(schemaVerdict.get(name)).as(name).isEqualTo(name.startsWith("valid/")));

        // REST: the measurement is the body; the schema's verdict on it is its $defs/submission's
        List<String> restDisagreements = new ArrayList<>();
        Map<String, Set<String>> restPointers = new HashMap<>();
        for (Map.Entry<String, JsonNode> example : examples.entrySet()) {
            JsonNode measurement = example.getValue().get("measurement");
            String bond = example.getValue().path("bondId").asText();
            if (measurement == null || !List.of("reboot-west-open", "peterborough-open", "educate-girls",
                    "tel-aviv-loneliness-open", "families-employment").contains(bond)) {
                continue;
            }
            JsonNode body = measurement.deepCopy();
            if (body.path("measurementId").isTextual() && !body.get("measurementId").asText().isBlank()) {
                ((ObjectNode) body).put("measurementId", body.get("measurementId").asText() + "-by-rest");
            }
            Api.Response answer = node.api("evaluator").postWithKey("/api/bonds/" + bond + "/measurements",
                    JSON.writeValueAsString(body), "rest/" + example.getKey());
            boolean schemaAccepts = submission.validate(measurement).isEmpty();
            if ((answer.status() == 202) != schemaAccepts) {
                restDisagreements.add(example.getKey() + ": schema " + (schemaAccepts ? "accepts" : "refuses")
                        + ", REST answered " + answer.status() + " " + answer.body());
            }
            if (answer.status() != 202) {
                restPointers.put(example.getKey(), pointers(answer.json(), ""));
                assertThat(answer.status()).as(example.getKey()).isIn(400, 422);
                assertThat(answer.body()).as(example.getKey()).doesNotContain("java.", "org.sibledger", "com.fasterxml");
            }
        }
        assertThat(restDisagreements).isEmpty();

        // Kafka: each example as a record keyed by its bond; the outcome of each is known by its offset
        long since = System.currentTimeMillis();
        Map<String, String> byOffset = new HashMap<>();
        try (KafkaProducer<String, String> producer = Producers.strings()) {
            for (Map.Entry<String, JsonNode> example : examples.entrySet()) {
                String key = example.getValue().path("bondId").asText("reboot-west");
                RecordMetadata sent = producer.send(new ProducerRecord<>("sib.measurements.v1", key,
                        JSON.writeValueAsString(example.getValue()))).get();
                byOffset.put(sent.partition() + "@" + sent.offset(), example.getKey());
            }
        }
        long invalid = examples.keySet().stream().filter(name -> name.startsWith("invalid/")).count();
        List<ConsumerRecord<String, String>> rejections = TopicReader.readUntil("sib.measurements.v1.rejected",
                records -> ours(records, since, byOffset).size() >= invalid);
        Map<String, JsonNode> rejected = new HashMap<>();
        for (ConsumerRecord<String, String> record : ours(rejections, since, byOffset)) {
            JsonNode value = JSON.readTree(record.value());
            assertThat(rejection.validate(value)).as(record.value()).isEmpty();
            assertThat(value.at("/problem/detail").asText()).doesNotContain("java.", "org.sibledger", "com.fasterxml");
            rejected.put(byOffset.get(value.get("partition").asInt() + "@" + value.get("offset").asLong()),
                    value.get("problem"));
        }
        Set<String> recorded = Waits.lastAnswer(Duration.ofSeconds(20), Duration.ofMillis(200), () -> new HashSet<>(
                node.sql().queryForList("""
                        SELECT convert_from(metadata, 'UTF8')::jsonb ->> 'idempotencyKey' FROM domainevententry
                        WHERE payloadtype LIKE '%MeasurementSubmittedEvent'""", String.class)),
                keys -> examples.entrySet().stream().filter(e -> e.getKey().startsWith("valid/"))
                        .allMatch(e -> keys.contains(e.getValue().get("idempotencyKey").asText())));
        List<String> kafkaDisagreements = new ArrayList<>();
        for (Map.Entry<String, JsonNode> example : examples.entrySet()) {
            boolean accepted = example.getValue().hasNonNull("idempotencyKey")
                    && recorded.contains(example.getValue().get("idempotencyKey").asText())
                    && !rejected.containsKey(example.getKey());
            if (accepted != schemaVerdict.get(example.getKey())) {
                kafkaDisagreements.add(example.getKey() + ": schema " + (schemaVerdict.get(example.getKey())
                        ? "accepts" : "refuses") + ", Kafka " + (accepted ? "recorded it" : "rejected it: "
                        + rejected.get(example.getKey())));
            }
        }
        assertThat(kafkaDisagreements).isEmpty();
        // the same field has the same pointer: REST's, under /measurement, for every example both refuse
        List<String> pointerDisagreements = new ArrayList<>();
        restPointers.forEach((name, pointers) -> {
            Set<String> expected = new java.util.TreeSet<>();
            pointers.forEach(p -> expected.add("/measurement" + (p.equals("/") ? "" : p)));
            Set<String> kafka = rejected.containsKey(name) ? pointers(rejected.get(name), "/measurement") : Set.of();
            if (!kafka.equals(expected)) {
                pointerDisagreements.add(name + ": REST " + pointers + ", Kafka " + kafka);
            }
        });
        assertThat(restPointers).hasSizeGreaterThan(20);
        assertThat(pointerDisagreements).isEmpty();
        assertThat(rejected.get("invalid/claim-date-impossible").at("/errors/0/pointer").asText())
                .isEqualTo("/measurement/claims/0/achievedOn");
        assertThat(rejected.get("invalid/no-evidence-ref").at("/errors/0/pointer").asText())
                .isEqualTo("/measurement/evidenceRef");
        Api.Response rest = node.api("evaluator").postWithKey("/api/bonds/reboot-west/measurements",
                JSON.writeValueAsString(examples.get("invalid/claim-date-impossible").get("measurement")), "rest/again");
        assertThat(rest.json().at("/errors/0/pointer").asText()).isEqualTo("/claims/0/achievedOn");

        // the ledger's own events fit the envelope schema, as do the examples of envelopes and rejections
        List<ConsumerRecord<String, String>> events = TopicReader.readUntil("sib.ledger.events.v1",
                records -> records.stream().anyMatch(r -> r.value().contains("batch-8")));
        assertThat(events).isNotEmpty();
        for (ConsumerRecord<String, String> event : events) {
            assertThat(envelope.validate(JSON.readTree(event.value()))).as(event.value()).isEmpty();
        }
        examples("measurement-rejection").forEach((name, example) ->
                assertThat(rejection.validate(example).isEmpty()).as(name).isEqualTo(name.startsWith("valid/")));
        examples("ledger-event-envelope").forEach((name, example) ->
                assertThat(envelope.validate(example).isEmpty()).as(name).isEqualTo(name.startsWith("valid/")));
    }

    /**
     * A demo bond's terms under the id {@code <bondId>-open}, opened with one commitment, with a cohort "cohort-1" in
     * which every participant the examples name for the bond is enrolled: a bond that takes results and claims.
     */
    private static String openCopy(String file, String bondId, String tranche, Map<String, JsonNode> examples)
            throws IOException {
        String copy = bondId + "-open";
        String terms = Files.readString(Path.of("src", "main", "resources", "demo", file + ".json"))
                .replace("\"" + bondId + "\"", "\"" + copy + "\"");
        node.api("arranger").post("/api/bonds", terms).expect(201);
        node.api("investor").post("/api/bonds/" + copy + "/commitments",
                "{\"tranche\": \"" + tranche + "\", \"amount\": \"1000000.00\"}").expect(201);
        node.api("arranger").post("/api/bonds/" + copy + "/opening", "").expect(200);
        node.api("provider").post("/api/bonds/" + copy + "/cohorts", """
                {"cohortId": "cohort-1", "name": "Cohort 1", "size": 1000, "startDate": "2010-09-01"}""").expect(201);
        Set<String> participants = new java.util.TreeSet<>();
        examples.values().stream().filter(example -> example.path("bondId").asText().equals(bondId))
                .forEach(example -> example.at("/measurement/claims").forEach(claim -> {
                    if (claim.path("participantRef").isTextual()
                            && claim.get("participantRef").asText().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                        participants.add(claim.get("participantRef").asText());
                    }
                }));
        if (!participants.isEmpty()) {
            node.api("provider").post("/api/bonds/" + copy + "/cohorts/cohort-1/participants", JSON.writeValueAsString(
                    participants.stream().map(ref -> Map.of("participantRef", ref)).toList())).expect(201);
        }
        return copy;
    }

    @Test
    void theSchemasAndTheOpenApiDocumentAreServedToAnyone() {
        Api anyone = node.anonymous();
        JsonNode index = anyone.get("/api/schemas").expect(200);
        assertThat(index.get("schemas").size()).isEqualTo(5);
        index.get("schemas").fields().forEachRemaining(entry -> {
            Api.Response served = anyone.get(entry.getValue().asText());
            assertThat(served.status()).as(entry.getKey()).isEqualTo(200);
            assertThat(served.contentType()).startsWith("application/schema+json");
            assertThat(served.json().get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        });
        assertThat(anyone.get("/api/schemas/measurement-message").json().get("title").asText())
                .isEqualTo("Measurement message");
        assertThat(anyone.get("/api/schemas/no-such-schema").status()).isEqualTo(404);
        assertThat(anyone.get("/openapi.yaml").status()).isEqualTo(200);
    }

    private static List<ConsumerRecord<String, String>> ours(List<ConsumerRecord<String, String>> records, long since,
                                                              Map<String, String> byOffset) {
        return records.stream().filter(r -> r.timestamp() >= since).filter(r -> {
            try {
                JsonNode value = JSON.readTree(r.value());
                return byOffset.containsKey(value.get("partition").asInt() + "@" + value.get("offset").asLong());
            } catch (IOException e) {
                return false;
            }
        }).toList();
    }

    private static JsonSchema schema(String name) {
        try (InputStream in = ContractExamplesTest.class.getResourceAsStream("/schemas/" + name + ".schema.json")) {
            return FACTORY.getSchema(in, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The examples of one contract, by "valid/name" or "invalid/name". */
    private static Map<String, JsonNode> examples(String contract) throws IOException {
        Map<String, JsonNode> examples = new java.util.TreeMap<>();
        for (String verdict : List.of("valid", "invalid")) {
            Path folder = EXAMPLES.resolve(contract).resolve(verdict);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    examples.put(verdict + "/" + file.getFileName().toString().replace(".json", ""),
                            JSON.readTree(file.toFile()));
                }
            }
        }
        return examples;
    }

    /** The pointers of a problem's errors that start with {@code under}. */
    private static Set<String> pointers(JsonNode problem, String under) {
        Set<String> pointers = new java.util.TreeSet<>();
        problem.path("errors").forEach(error -> {
            String pointer = error.path("pointer").asText();
            if (pointer.equals(under) || pointer.startsWith(under + "/")) {
                pointers.add(pointer);
            }
        });
        return pointers;
    }
}
