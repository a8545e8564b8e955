package org.sibledger.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health with database and Kafka, the probes, and Prometheus with Axon's, the ledger's and the JVM's meters; what
 * anonymous callers, other users, an admin and the scrape credential each get from them.
 */
class OperationsTest {

    private static final String SCRAPE_PASSWORD = "scrape-secret-4711";

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension("--sib.metrics.scrape-user=prom",
            "--sib.metrics.scrape-password=" + SCRAPE_PASSWORD);

    @Test
    void healthReportsTheDatabaseAndKafkaToAnAdmin() {
        Api.Response health = node.api("admin").get("/actuator/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonNode json = health.json();
        assertThat(json.get("status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/db/details/database").asText()).isEqualTo("PostgreSQL");
        assertThat(json.at("/components/kafka/status").asText()).isEqualTo("UP");
        assertThat(json.at("/components/kafka/details/nodes").asInt()).isEqualTo(1);
    }

    @Test
    void anonymousHealthAndProbesShowTheStatusOnly() {
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness")) {
            Api.Response health = node.anonymous().get(path);
            assertThat(health.status()).as(path + " " + health).isEqualTo(200);
            JsonNode json = health.json();
            assertThat(json.get("status").asText()).as(path).isEqualTo("UP");
            // nothing but the status (and, at the root, the names of the probe groups): no components, no details
            // (data path, database, Kafka cluster id)
            assertThat(json.properties()).as(path + " " + health).extracting(java.util.Map.Entry::getKey)
                    .isSubsetOf("status", "groups");
            assertThat(health.body()).doesNotContain("PostgreSQL", "clusterId", "diskSpace", "components", "details");
        }
        // a signed-in party that is no admin is told no more than anyone else
        Api.Response health = node.api("investor").get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).as(health.toString()).doesNotContain("components", "details");
        // neither is the scrape credential, which is for the metrics only
        assertThat(node.api("prom", SCRAPE_PASSWORD).get("/actuator/health").body()).doesNotContain("components", "details");
    }

    @Test
    void readinessAndLivenessProbesAnswer() {
        Api.Response readiness = node.api("admin").get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
        assertThat(readiness.json().at("/components/db/status").asText()).isEqualTo("UP");
        // the read models: DEGRADED (still 200) while any has dead letters, see DeadLetteredReadModelTest
        assertThat(readiness.json().at("/components/readModels/status").asText()).isEqualTo("UP");
        // ready to publish: the ledger's topics exist as configured, each partition with a leader (ReadinessTest)
        assertThat(readiness.json().at("/components/ledgerTopics/status").asText()).isEqualTo("UP");
        assertThat(readiness.json().at("/components/ledgerTopics/details/topics").size()).isEqualTo(3);
        Api.Response liveness = node.api("admin").get("/actuator/health/liveness");
        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusShowsAxonAndJvmMeters() {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("metered-bond")).status()).isEqualTo(201);
        node.api("arranger").await("/api/bonds/metered-bond", r -> r.status() == 200);
        String metrics = node.api("admin").get("/actuator/prometheus").body();
        assertThat(metrics).contains("jvm_memory_used_bytes", "hikaricp_connections");
        assertThat(metrics).containsPattern(
                "commandBus_\\w+_count\\{application=\"sib-ledger\",payloadType=\"StructureBondCommand\"\\} [1-9]");
        // event processors by processing group: the ledger's own lag meter (Axon's per-event meters are off), which
        // the business meters' refresh registers within ten seconds
        String group = "sib_processor_lag_events{application=\"sib-ledger\",group=\"bonds\"}";
        metrics = node.api("prom", SCRAPE_PASSWORD).await("/actuator/prometheus", r -> r.body().contains(group)).body();
        assertThat(metrics).contains("sib_processor_lag_events{application=\"sib-ledger\",group=\"bonds\"}",
                "sib_processor_lag_events{application=\"sib-ledger\",group=\"kafka-publisher\"}");
        assertThat(metrics).doesNotContain("eventProcessor_");
        assertThat(metrics).contains("sib_processor_dead_letters{application=\"sib-ledger\",read_model=\"payouts\"} 0.0");
    }

    @Test
    void prometheusAnswersAnAdminAndTheScrapeCredentialOnly() {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("scraped-bond")).status()).isEqualTo(201);
        Api.Response anonymous = node.anonymous().get("/actuator/prometheus");
        assertUnauthorizedProblem(anonymous);
        assertThat(anonymous.body()).doesNotContain("scraped-bond", "sib_");
        assertUnauthorizedProblem(node.api("prom", "wrong-password").get("/actuator/prometheus"));
        assertUnauthorizedProblem(node.api("admin", "wrong-password").get("/actuator/prometheus"));
        for (String user : List.of("arranger", "investor", "payer", "evaluator")) {
            Api.Response refused = node.api(user).get("/actuator/prometheus");
            assertForbiddenProblem(refused);
            assertThat(refused.body()).doesNotContain("scraped-bond");
        }
        Api.Response admin = node.api("admin").get("/actuator/prometheus");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body()).contains("jvm_memory_used_bytes");
        Api.Response scraper = node.api("prom", SCRAPE_PASSWORD).get("/actuator/prometheus");
        assertThat(scraper.status()).isEqualTo(200);
        assertThat(scraper.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void otherActuatorEndpointsNeedAnAdmin() {
        for (String path : List.of("/actuator/metrics", "/actuator/info")) {
            assertUnauthorizedProblem(node.anonymous().get(path));
            assertForbiddenProblem(node.api("investor").get(path));
            // the scrape credential reads the metrics' scrape, nothing else
            assertForbiddenProblem(node.api("prom", SCRAPE_PASSWORD).get(path));
            assertThat(node.api("admin").get(path).status()).as(path).isEqualTo(200);
        }
    }

    private static void assertUnauthorizedProblem(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).isEqualTo("https://sibledger.org/problems/unauthenticated");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static void assertForbiddenProblem(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).startsWith("https://sibledger.org/problems/");
        assertThat(problem.get("status").asInt()).isEqualTo(403);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }
}
