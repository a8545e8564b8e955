package org.sibledger.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import static org.assertj.core.api.Assertions.assertThat;

/** Health with database and Kafka, the probes, and Prometheus with Axon's, the ledger's and the JVM's meters. */
class OperationsTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    @Test
    void healthReportsTheDatabaseAndKafka() {
        Api.Response health = node.anonymous().get("/actuator/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonNode json = health.json();
        assertThat(json.get("status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/db/details/database").asText()).isEqualTo("PostgreSQL");
        assertThat(json.at("/components/kafka/status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/kafka/details/nodes").asInt()).isEqualTo(1);
    }

    @Test
    void readinessAndLivenessProbesAnswer() {
        Api.Response readiness = node.anonymous().get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
        assertThat(readiness.json().at("/components/db/status").asText()).isEqualTo("UP");
        // the read models: DEGRADED (still 200) while any has dead letters, see DeadLetteredReadModelTest
        assertThat(readiness.json().at("/components/readModels/status").asText()).isEqualTo("UP");
        // the broker being away must not take the ledger out of service: it stores commands and publishes later
        assertThat(readiness.json().at("/components/kafka").isMissingNode()).isTrue();
        Api.Response liveness = node.anonymous().get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusShowsAxonAndJvmMeters() {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("metered-bond")).status()).isEqualTo(201);
        node.api("arranger").await("/api/bonds/metered-bond", r -> r.status() == 200);
        String metrics = node.anonymous().get("/actuator/prometheus").body();
        assertThat(metrics).contains("jvm_memory_used_bytes", "hikaricp_connections");
        assertThat(metrics).containsPattern(
                "commandBus_\\w+_count\\{application=\"sib-ledger\",payloadType=\"StructureBondCommand\"\\} [1-9]");
        // event processors by processing group: the ledger's own lag meter (Axon's per-event meters are off), which
        // the business meters' refresh registers within ten seconds
        String group = "sib_processor_lag_events{application=\"sib-ledger\",group=\"bonds\"}";
        metrics = node.anonymous().await("/actuator/prometheus", r -> r.body().contains(group)).body();
        assertThat(metrics).contains("sib_processor_lag_events{application=\"sib-ledger\",group=\"bonds\"}",
                "sib_processor_lag_events{application=\"sib-ledger\",group=\"kafka-publisher\"}");
        assertThat(metrics).doesNotContain("eventProcessor_");
        assertThat(metrics).contains("sib_processor_dead_letters{application=\"sib-ledger\",read_model=\"payouts\"} 0.0");
    }

    @Test
    void otherActuatorEndpointsNeedAnAdmin() {
        assertThat(node.anonymous().get("/actuator/metrics").status()).isEqualTo(401);
        assertThat(node.api("investor").get("/actuator/metrics").status()).isEqualTo(403);
        assertThat(node.api("admin").get("/actuator/metrics").status()).isEqualTo(200);
    }
}
