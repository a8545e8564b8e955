package org.sibledger.api.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.embedded.EmbeddedKafkaServer;
import org.sibledger.api.embedded.InfrastructureUnavailableException;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.TopicReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Authenticated senders on a real broker that authenticates (SASL/PLAIN) and authorizes (KRaft's StandardAuthorizer):
 * the ledger maps evaluator "evaluator" to principal User:evala and evaluator "auditor" to User:evalb, and the ACLs
 * let each write to its own topic only. A message on evaluator's topic naming evaluator is recorded; one evalb sends
 * on its own topic naming evaluator is refused (sender-not-evaluator), as is one on the shared topic
 * (unauthenticated-sender), and neither is recorded; the broker refuses evalb writing to evaluator's topic; readiness
 * goes DOWN, naming the principal, once an ACL lets evalb write there too.
 */
@ExtendWith(InfrastructureExtension.class)
class AuthenticatedSendersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BOND = "signed-senders-bond";
    private static final String PLAIN = "org.apache.kafka.common.security.plain.PlainLoginModule required";

    @TempDir
    static Path brokerDir;

    private static EmbeddedKafkaServer broker;
    private static LedgerNode node;

    @BeforeAll
    static void startBrokerAndLedger() throws Exception {
        String users = " user_admin=\"admin-secret\" user_ledger=\"ledger-secret\" user_evala=\"evala-secret\""
                + " user_evalb=\"evalb-secret\";";
        broker = EmbeddedKafkaServer.start(brokerDir, 0, "SASL_PLAINTEXT", Map.of(
                "sasl.enabled.mechanisms", "PLAIN",
                "sasl.mechanism.inter.broker.protocol", "PLAIN",
                "sasl.mechanism.controller.protocol", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                PLAIN + " username=\"admin\" password=\"admin-secret\"" + users,
                "listener.name.controller.plain.sasl.jaas.config",
                PLAIN + " username=\"admin\" password=\"admin-secret\"" + users,
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:admin"));
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createAcls(List.of(
                    // the ledger: create and describe its topics, read the inbound ones, write its own, check the ACLs
                    allow("ledger", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.CREATE),
                    allow("ledger", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE),
                    allow("ledger", ResourceType.TOPIC, "sib.", PatternType.PREFIXED, AclOperation.DESCRIBE),
                    allow("ledger", ResourceType.TOPIC, "sib.", PatternType.PREFIXED, AclOperation.CREATE),
                    allow("ledger", ResourceType.TOPIC, "sib.measurements.v1", PatternType.PREFIXED, AclOperation.READ),
                    allow("ledger", ResourceType.TOPIC, "sib.ledger.events.v1", PatternType.LITERAL, AclOperation.WRITE),
                    allow("ledger", ResourceType.TOPIC, "sib.measurements.v1.rejected", PatternType.LITERAL, AclOperation.WRITE),
                    allow("ledger", ResourceType.GROUP, "sib-ledger", PatternType.PREFIXED, AclOperation.READ),
                    // each evaluator's pipeline: its own topic (evalb also the shared one, which is read but not taken)
                    allow("evala", ResourceType.TOPIC, "sib.measurements.v1.from.evaluator", PatternType.LITERAL, AclOperation.WRITE),
                    allow("evalb", ResourceType.TOPIC, "sib.measurements.v1.from.auditor", PatternType.LITERAL, AclOperation.WRITE),
                    allow("evalb", ResourceType.TOPIC, "sib.measurements.v1", PatternType.LITERAL, AclOperation.WRITE)))
                    .all().get();
        }
        node = LedgerNode.start(TestInfrastructure.get().newDatabase(),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.security.protocol=SASL_PLAINTEXT",
                "--spring.kafka.properties.sasl.mechanism=PLAIN",
                "--spring.kafka.properties.sasl.jaas.config=" + PLAIN + " username=\"ledger\" password=\"ledger-secret\";",
                "--sib.kafka.inbound.principals.evaluator=User:evala",
                "--sib.kafka.inbound.principals.auditor=User:evalb");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aMessageIsTakenOnlyFromTheEvaluatorItNames() throws Exception {
        node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)).expect(201);
        node.api("investor").post("/api/bonds/" + BOND + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post("/api/bonds/" + BOND + "/opening", "").expect(200);
        node.api("provider").post("/api/bonds/" + BOND + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2019-01-01"}""").expect(201);
        node.api("provider").post("/api/bonds/" + BOND + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}]""").expect(201);
        Api.Response ready = node.api("admin").await("/actuator/health/readiness", r -> r.status() == 200);
        assertThat(ready.json().at("/components/inboundSenders/status").asText()).as(ready.body()).isEqualTo("UP");

        try (KafkaProducer<String, String> evala = producer("evala"); KafkaProducer<String, String> evalb = producer("evalb")) {
            evala.send(new ProducerRecord<>("sib.measurements.v1.from.evaluator", BOND, message("k-own", "evaluator", "p-1"))).get();
            evalb.send(new ProducerRecord<>("sib.measurements.v1.from.auditor", BOND, message("k-other", "evaluator", "p-2"))).get();
            evalb.send(new ProducerRecord<>("sib.measurements.v1", BOND, message("k-shared", "evaluator", "p-2"))).get();
            // the broker itself keeps evalb off evaluator's topic
            assertThatThrownBy(() -> evalb.send(new ProducerRecord<>("sib.measurements.v1.from.evaluator", BOND,
                    message("k-forged", "evaluator", "p-2"))).get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }

        List<ConsumerRecord<String, String>> rejected = TopicReader.readUntil(client("admin"),
                "sib.measurements.v1.rejected", records -> records.size() >= 2, Duration.ofSeconds(30));
        Map<String, JsonNode> problems = new HashMap<>();
        for (ConsumerRecord<String, String> record : rejected) {
            JsonNode rejection = JSON.readTree(record.value());
            problems.put(rejection.at("/message/idempotencyKey").asText(), rejection.get("problem"));
        }
        assertThat(problems.keySet()).containsExactlyInAnyOrder("k-other", "k-shared");
        JsonNode other = problems.get("k-other");
        assertThat(other.get("code").asText()).isEqualTo("sender-not-evaluator");
        assertThat(other.get("status").asInt()).isEqualTo(403);
        assertThat(other.get("detail").asText()).isEqualTo("The message names evaluator 'evaluator' but came on"
                + " sib.measurements.v1.from.auditor, which only evaluator 'auditor' may write to: an evaluator submits"
                + " only its own measurements");
        assertThat(other.at("/errors/0/pointer").asText()).isEqualTo("/evaluatorId");
        JsonNode shared = problems.get("k-shared");
        assertThat(shared.get("code").asText()).isEqualTo("unauthenticated-sender");
        assertThat(shared.get("detail").asText()).contains("send the message again on sib.measurements.v1.from.evaluator");

        Api.Response measurements = node.api("payer").await("/api/bonds/" + BOND + "/measurements",
                r -> r.status() == 200 && r.json().get("totalItems").asInt() >= 1);
        assertThat(measurements.json().get("totalItems").asInt()).isEqualTo(1);
        assertThat(node.sql().queryForList("""
                SELECT convert_from(metadata, 'UTF8')::jsonb ->> 'idempotencyKey' FROM domainevententry
                WHERE aggregateidentifier = ? AND payloadtype LIKE '%MeasurementSubmittedEvent'""", String.class, BOND))
                .containsExactly("k-own");

        // an ACL that lets another principal write to evaluator's topic: readiness says so
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createAcls(List.of(allow("evalb", ResourceType.TOPIC, "sib.measurements.v1.from.", PatternType.PREFIXED,
                    AclOperation.WRITE))).all().get();
        }
        Api.Response down = node.api("admin").await("/actuator/health/readiness", r -> r.status() == 503);
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.json().at("/components/inboundSenders/details/reason").asText())
                .contains("User:evalb may write to sib.measurements.v1.from.evaluator (an ALLOW WRITE ACL on prefixed"
                        + " 'sib.measurements.v1.from.'), but only evaluator 'evaluator' may: User:evala");
    }

    @Test
    void aLedgerDoesNotStartReadingMeasurementsOnTopicsNoACLGuards() {
        // evaluator 'auditor2' is mapped to User:evalc, but no ACL lets evalc write to its topic: start-up stops
        assertThatThrownBy(() -> LedgerNode.start(TestInfrastructure.get().newDatabase(),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.security.protocol=SASL_PLAINTEXT",
                "--spring.kafka.properties.sasl.mechanism=PLAIN",
                "--spring.kafka.properties.sasl.jaas.config=" + PLAIN + " username=\"ledger\" password=\"ledger-secret\";",
                "--sib.kafka.inbound.principals.evaluator=User:evala",
                "--sib.kafka.inbound.principals.auditor2=User:evalc"))
                .isInstanceOf(InfrastructureUnavailableException.class)
                .hasMessageContaining("Kafka does not vouch for the senders of measurements")
                .hasMessageContaining("no ACL lets User:evalc write to sib.measurements.v1.from.auditor2")
                .satisfies(e -> assertThat(((InfrastructureUnavailableException) e).action())
                        .contains("kafka-acls.sh").contains("sib.kafka.inbound.principals"));
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static Map<String, Object> client(String user) {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "PLAIN",
                SaslConfigs.SASL_JAAS_CONFIG, PLAIN + " username=\"" + user + "\" password=\"" + user + "-secret\";");
    }

    private static KafkaProducer<String, String> producer(String user) {
        Map<String, Object> config = new HashMap<>(client(user));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(config);
    }

    private static String message(String key, String evaluator, String participant) {
        return """
                {"idempotencyKey": "%s", "evaluatorId": "%s", "bondId": "%s",
                 "measurement": {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-%s",
                   "claims": [{"participantRef": "%s", "metric": "earns-768", "achievedOn": "2019-06-01",
                               "evidenceRef": "payslip-%s"}]}}""".formatted(key, evaluator, BOND, key, participant, key);
    }
}
