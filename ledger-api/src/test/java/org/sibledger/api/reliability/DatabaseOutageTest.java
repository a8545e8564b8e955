package org.sibledger.api.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.embedded.EmbeddedPostgresServer;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.ReadModelTables;
import org.sibledger.api.support.ReliabilityReport;
import org.sibledger.api.support.TopicReader;
import org.sibledger.api.support.Workload;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped for 30 seconds while the ledger is under load, then started again: the ledger recovers by
 * itself (no restart, no operator), clients' unanswered commands succeed when sent again with their keys, every
 * acknowledged command is stored once, the read models equal a replay, and the outbound topic carries every event
 * of the bond once, in order.
 */
class DatabaseOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void ledgerRecoversFromA30SecondDatabaseOutageAndLosesNothing() throws Exception {
        int port = LedgerProcess.freePort();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), port, false);
        String url = postgres.jdbcUrl("ledger");
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "postgres")) {
            c.createStatement().execute("CREATE DATABASE ledger");
        }
        LedgerNode node = LedgerNode.start(url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", "--spring.datasource.hikari.connection-timeout=2000");
        String bondId = "db-outage-" + System.nanoTime() % 100000;
        Workload load = new Workload(node::api, bondId);
        try {
            load.setUp().start(2);
            Thread.sleep(5_000);
            long beforeOutage = load.acknowledged();
            postgres.close();
            long stoppedAt = System.nanoTime();
            Thread.sleep(30_000);
            long duringOutage = load.acknowledged() - beforeOutage;
            postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), port, false);
            long outageSeconds = Duration.ofNanos(System.nanoTime() - stoppedAt).toSeconds();
            Thread.sleep(5_000);
            load.stop();
            load.retryUnanswered(Duration.ofSeconds(120));
            assertThat(load.refusals()).as("valid commands refused").isEmpty();
            assertThat(load.answers().keySet()).as("answers while the database was away: 503 store-unavailable, never a 500")
                    .allMatch(answer -> answer.startsWith("2") || answer.equals("503 store-unavailable")
                            || answer.startsWith("Unchecked"));
            assertThat(load.acknowledged()).as("acknowledged after the outage").isGreaterThan(beforeOutage + duringOutage);

            JdbcTemplate sql = new JdbcTemplate(new DriverManagerDataSource(url, "postgres", "postgres"));
            long events = load.assertNothingLostNothingDoubled(sql);
            Api admin = node.api("admin");
            KilledUnderLoadTest.awaitCaughtUp(admin);
            Map<String, List<String>> live = ReadModelTables.of(sql);
            ReadModelTables.replayAll(admin);
            assertThat(ReadModelTables.of(sql)).as("read models after the outage vs a replay").isEqualTo(live);

            List<ConsumerRecord<String, String>> published = TopicReader.readUntil(
                    org.sibledger.api.support.TestInfrastructure.get().bootstrapServers(), "sib.ledger.events.v1",
                    records -> records.stream().filter(r -> bondId.equals(r.key())).count() >= events,
                    Duration.ofSeconds(60));
            // delivery is at least once (API.md): a consumer keeps the first copy of each eventId; every later copy
            // must be the same record, and what is kept must be the whole stream in order
            List<Long> sequences = new ArrayList<>();
            Map<String, String> firstCopies = new java.util.HashMap<>();
            int redelivered = 0;
            for (ConsumerRecord<String, String> record : published) {
                if (!bondId.equals(record.key())) {
                    continue;
                }
                JsonNode envelope = JSON.readTree(record.value());
                String first = firstCopies.putIfAbsent(envelope.get("eventId").asText(), record.value());
                if (first != null) {
                    assertThat(record.value()).as("a redelivered event is the same record").isEqualTo(first);
                    redelivered++;
                } else {
                    sequences.add(envelope.get("sequence").asLong());
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long s = 0; s < events; s++) {
                expected.add(s);
            }
            assertThat(sequences).as("the bond's events on the topic, de-duplicated by eventId: all, in order")
                    .isEqualTo(expected);

            ReliabilityReport.add("PostgreSQL stopped " + outageSeconds + " s under load, restarted",
                    load.count() + " commands (" + beforeOutage + " acknowledged before, " + duringOutage
                            + " during the outage; answers " + load.answers() + "), unanswered ones retried with their keys; " + events
                            + " events checked in the store and on sib.ledger.events.v1 (" + redelivered
                            + " delivered twice, identical, as at-least-once allows); read models vs replay",
                    "nothing: recovered without a restart, every acknowledged command stored once, all published in order");
        } finally {
            node.close();
            postgres.close();
        }
    }
}
