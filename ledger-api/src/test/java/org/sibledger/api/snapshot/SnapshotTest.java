package org.sibledger.api.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.core.bond.Bond;
import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots on the real event store: taken every N events with the aggregate's revision, used on load, and a
 * snapshot of another revision (an older state shape) is ignored, so the bond is rebuilt from its events instead.
 */
@ExtendWith(InfrastructureExtension.class)
class SnapshotTest {

    @Test
    void snapshotsAreTakenUsedAndAStaleRevisionIsIgnored() throws Exception {
        String db = TestInfrastructure.get().newDatabase();
        try (LedgerNode node = LedgerNode.start(db, "--sib.snapshot-threshold=20")) {
            assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("snapshotted")).status()).isEqualTo(201);
            LedgerCommands commands = node.bean(LedgerCommands.class);
            commands.send(new MakeCommitmentCommand("snapshotted", "investor", "senior", new BigDecimal("100000.00")), "investor", null);
            commands.send(new OpenBondCommand("snapshotted"), "arranger", null);
            commands.send(new OpenCohortCommand("snapshotted", "c1", "Cohort 1", 1000, LocalDate.parse("2019-01-01")), "provider", null);
            for (int i = 0; i < 60; i++) {
                commands.send(new EnrolParticipantsCommand("snapshotted", "c1", List.of("p-" + i)), "provider", null);
            }
            long head = node.sql().queryForObject(
                    "SELECT max(sequencenumber) FROM domainevententry WHERE aggregateidentifier = 'snapshotted'", Long.class);
            assertThat(head).isEqualTo(63);
            // snapshots are taken after the commit on a single thread of their own: once a task queued behind them
            // has run, every snapshot these commands triggered is stored
            node.bean("bondSnapshots", java.util.concurrent.ExecutorService.class).submit(() -> { })
                    .get(15, java.util.concurrent.TimeUnit.SECONDS);
            Map<String, Object> snapshot = newestSnapshot(node);
            assertThat(snapshot).as("a snapshot of the bond").isNotNull();
            assertThat((Long) snapshot.get("sequencenumber")).isGreaterThanOrEqualTo(40L);
            assertThat(snapshot.get("payloadrevision")).isEqualTo(Bond.class.getAnnotation(Revision.class).value());
            assertThat(snapshot.get("payloadtype")).isEqualTo("org.sibledger.core.bond.Bond");

            // An old-shape snapshot newer than every other: must be ignored, not loaded. It takes the place of a
            // snapshot taken at the head, if the snapshotter (which reads the bond when it runs) took one there.
            node.sql().update("DELETE FROM snapshotevententry WHERE aggregateidentifier = 'snapshotted' AND sequencenumber = ?", head);
            node.sql().update("""
                    INSERT INTO snapshotevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata,
                        payload, payloadrevision, payloadtype, timestamp)
                    VALUES ('snapshotted', ?, ?, 'stale-snapshot', convert_to('{}', 'UTF8'),
                        convert_to('{"bondId":"snapshotted","cohorts":{},"participants":{}}', 'UTF8'), 'an-older-shape',
                        'org.sibledger.core.bond.Bond', '2019-01-01T00:00:00Z')""", head, snapshot.get("type"));
        }
        try (LedgerNode node = LedgerNode.start(db, "--sib.snapshot-threshold=20")) {
            LedgerCommands commands = node.bean(LedgerCommands.class);
            // state from the events (or the current-revision snapshot): p-7 is enrolled, c1 exists
            assertThatThrownBy(() -> commands.send(new EnrolParticipantsCommand("snapshotted", "c1", List.of("p-7")),
                    "provider", null)).isInstanceOf(CommandRefusedException.class).hasMessageContaining("enrolled already");
            commands.send(new EnrolParticipantsCommand("snapshotted", "c1", List.of("p-new")), "provider", null);
            assertThat(node.sql().queryForObject(
                    "SELECT max(sequencenumber) FROM domainevententry WHERE aggregateidentifier = 'snapshotted'", Long.class))
                    .isEqualTo(64);
        }
    }

    private static Map<String, Object> newestSnapshot(LedgerNode node) {
        List<Map<String, Object>> rows = node.sql().queryForList("""
                SELECT sequencenumber, payloadrevision, payloadtype, type FROM snapshotevententry
                WHERE aggregateidentifier = 'snapshotted' ORDER BY sequencenumber DESC LIMIT 1""");
        return rows.isEmpty() ? null : rows.get(0);
    }
}
