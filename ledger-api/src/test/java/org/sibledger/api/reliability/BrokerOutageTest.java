package org.sibledger.api.reliability;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.embedded.EmbeddedKafkaServer;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.ReadModelTables;
import org.sibledger.api.support.ReliabilityReport;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.TopicReader;
import org.sibledger.api.support.Workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka broker stopped for 60 seconds while the ledger is under load, then started again: commands are taken
 * and stored throughout, and once the broker is back every event of the bond is published, in bond order, with no
 * operator action. Delivery is at least once (API.md): copies of an event are identical and de-duplicate by eventId.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): its ledger node uses a broker of its own
 * (the one it stops) and a database of its own.
 */
@ExtendWith(InfrastructureExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class BrokerOutageTest {

    @Test
    void ledgerKeepsWorkingThroughA60SecondBrokerOutageAndPublishesEverythingInOrder() throws Exception {
        Path logs = Path.of("target", "outage-broker-" + UUID.randomUUID());
        int port = LedgerProcess.freePort();
        EmbeddedKafkaServer broker = EmbeddedKafkaServer.start(logs, port);
        String bootstrap = broker.bootstrapServers();
        String bondId = "broker-outage-" + System.nanoTime() % 100000;
        try (LedgerNode node = LedgerNode.start(TestInfrastructure.get().newDatabase(),
                "--spring.kafka.bootstrap-servers=" + bootstrap, "--sib.kafka.send-timeout=5s")) {
            Workload load = new Workload(node::api, bondId).setUp().start(2);
            long beforeOutage = load.awaitAcknowledged(30, Duration.ofSeconds(60));
            broker.close();
            long stoppedAt = System.nanoTime();
            // the fault itself: the broker stays away for a minute while the load goes on, no valid command refused
            await().during(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(70)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(load.refusals()).as("valid commands refused").isEmpty());
            long duringOutage = load.acknowledged() - beforeOutage;
            broker = EmbeddedKafkaServer.start(logs, port);
            long outageSeconds = Duration.ofNanos(System.nanoTime() - stoppedAt).toSeconds();
            load.awaitAcknowledged(load.acknowledged() + 20, Duration.ofSeconds(60));
            load.stop();
            load.retryUnanswered(Duration.ofSeconds(60));
            assertThat(load.refusals()).as("valid commands refused").isEmpty();
            assertThat(duringOutage).as("commands acknowledged while the broker was away").isGreaterThan(10);
            assertThat(load.answers().keySet()).as("answers").allMatch(a -> a.startsWith("2"));

            long events = load.assertNothingLostNothingDoubled(node.sql());
            ReadModelTables.assertEqualToReplay(node.sql(), node.api("admin"), "after the broker outage");
            List<ConsumerRecord<String, String>> published = TopicReader.readBond(bootstrap, bondId, events,
                    Duration.ofSeconds(120));
            assertThat(published).as("records on this test's own broker").allMatch(r -> bondId.equals(r.key()));
            int redelivered = TopicReader.assertWholeStreamInOrder(published, bondId, events);

            ReliabilityReport.add("Kafka broker stopped " + outageSeconds + " s under load, restarted",
                    load.count() + " commands (" + duringOutage + " acknowledged while the broker was away); "
                            + events + " events checked in the store and on sib.ledger.events.v1 (" + redelivered
                            + " delivered twice, identical); read models vs replay",
                    "nothing: commands taken throughout, every event published in bond order once the broker was back");
        } finally {
            broker.close();
        }
    }
}
