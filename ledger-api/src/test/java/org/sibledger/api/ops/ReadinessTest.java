package org.sibledger.api.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.sibledger.api.embedded.EmbeddedKafkaServer;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.TestInfrastructure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that cannot publish does not say it is ready. On a broker of its own (so that no other test's topics are
 * touched), a node is ready once its topics exist as configured; when one of them is gone, readiness is DOWN (503)
 * and says which and why, while liveness stays UP (restarting would not help). (A replication factor larger than
 * the cluster stops an external start before this: ExternalModeTest.)
 */
class ReadinessTest {

    @Test
    void readinessIsDownWithTheReasonWhenATopicIsMissing() throws Exception {
        EmbeddedKafkaServer broker = EmbeddedKafkaServer.start(Path.of("target", "readiness-broker-" + UUID.randomUUID()),
                LedgerProcess.freePort());
        try (LedgerNode node = LedgerNode.start(TestInfrastructure.get().newDatabase(),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Api.Response ready = node.api("admin").await("/actuator/health/readiness", r -> r.status() == 200);
            assertThat(ready.json().at("/components/ledgerTopics/status").asText()).as(ready.body()).isEqualTo("UP");
            assertThat(ready.json().at("/components/ledgerTopics/details/brokers").asInt()).isEqualTo(1);

            admin.deleteTopics(List.of("sib.measurements.v1.rejected")).all().get();
            Api.Response down = node.api("admin").await("/actuator/health/readiness", r -> r.status() == 503);
            assertThat(down.status()).as(down.body()).isEqualTo(503);
            JsonNode topics = down.json().at("/components/ledgerTopics");
            assertThat(topics.get("status").asText()).isEqualTo("DOWN");
            assertThat(topics.at("/details/reason").asText()).isEqualTo("sib.measurements.v1.rejected does not exist");
            assertThat(node.api("admin").get("/actuator/health/liveness").status()).isEqualTo(200);
            // anyone may probe, and sees only the verdict
            Api.Response anonymous = node.anonymous().get("/actuator/health/readiness");
            assertThat(anonymous.status()).isEqualTo(503);
            assertThat(anonymous.body()).doesNotContain("sib.measurements");
        } finally {
            broker.close();
        }
    }
}
