package org.sibledger.api.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerProcess;
import org.sibledger.api.support.ReadModelTables;
import org.sibledger.api.support.ReliabilityReport;
import org.sibledger.api.support.Workload;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger on its embedded default, durable, killed with SIGKILL while providers, an evaluator and a payer drive
 * it, then started again on the same data directory (whose PostgreSQL the dead process left running). Clients send
 * again what was not answered, with the same keys. Every acknowledged command is in the event store once, no
 * payout was triggered twice, and every read model equals a replay.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): the ledger runs as a process of its own on
 * its own embedded PostgreSQL and broker.
 */
// after the shared PostgreSQL and broker are up: its own servers' ports are not then taken from under them
@ExtendWith(InfrastructureExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class KilledUnderLoadTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dataDir;

    @Test
    void sigkillUnderLoadLosesNothingAndDoublesNothing() throws Exception {
        int port = LedgerProcess.freePort();
        int postgresPort = LedgerProcess.freePort();
        String[] args = {"--sib.embedded.postgres-port=" + postgresPort};
        String base = "http://localhost:" + port;
        Workload load = new Workload(user -> Api.at(base, user), "killed-bond");

        LedgerProcess first = LedgerProcess.start(dataDir, port, args);
        load.setUp().start(3);
        load.awaitAcknowledged(40, Duration.ofSeconds(60));
        first.kill();
        load.stop();
        long acknowledgedBeforeKill = load.acknowledged();
        Map<Workload.Fate, Long> fatesAtKill = load.fates();
        assertThat(acknowledgedBeforeKill).as("commands acknowledged before the kill").isGreaterThan(20);

        LedgerProcess second = LedgerProcess.start(dataDir, port, args);
        try {
            assertThat(second.output()).contains("still runs on");
            load.retryUnanswered(Duration.ofSeconds(60));
            assertThat(load.refusals()).as("valid commands refused").isEmpty();
            JdbcTemplate sql = new JdbcTemplate(new DriverManagerDataSource(
                    "jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "postgres"));
            long events = load.assertNothingLostNothingDoubled(sql);

            ReadModelTables.assertEqualToReplay(sql, Api.at(base, "admin"), "after SIGKILL and restart");

            ReliabilityReport.add("Ledger killed with SIGKILL under load, restarted",
                    load.count() + " commands (at the kill: " + fatesAtKill + "), unanswered ones retried with their keys; "
                            + events + " events checked; 7 read models compared with a replay",
                    "nothing: every acknowledged command stored once, no payout twice, read models = replay");
        } finally {
            second.stop();
        }
    }
}
