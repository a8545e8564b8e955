package org.sibledger.api.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.embedded.EmbeddedPostgresServer;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.ReadModelTables;
import org.sibledger.api.support.ReliabilityReport;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.TopicReader;
import org.sibledger.api.support.Workload;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped for 30 seconds while the ledger is under load, then started again: the ledger recovers by
 * itself (no restart, no operator), clients' unanswered commands succeed when sent again with their keys, every
 * acknowledged command is stored once, the read models equal a replay, and the outbound topic carries every event
 * of the bond once, in order.
 */
class DatabaseOutageTest {

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
            ReadModelTables.assertEqualToReplay(sql, node.api("admin"), "after the database outage");
            int redelivered = TopicReader.assertWholeStreamInOrder(TopicReader.readBond(
                    TestInfrastructure.get().bootstrapServers(), bondId, events, Duration.ofSeconds(60)), bondId, events);

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
