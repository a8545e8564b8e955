package org.sibledger.api.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every read-model table of a database, each row as text, in a fixed order: what "equals a replay" compares. */
public final class ReadModelTables {

    private ReadModelTables() {
    }

    public static Map<String, List<String>> of(JdbcTemplate sql) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String table : sql.queryForList("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'
                AND table_name NOT IN ('domainevententry', 'snapshotevententry', 'tokenentry', 'sagaentry',
                    'associationvalueentry', 'deadletterentry', 'flyway_schema_history', 'idempotency_record',
                    'ledger_checkpoint', 'ledger_checkpoint_pending', 'read_model_action')
                ORDER BY table_name""", String.class)) {
            tables.put(table, sql.queryForList("SELECT t::text FROM " + table + " t ORDER BY 1", String.class));
        }
        assertThat(tables.keySet()).contains("bond_view", "payout_view", "history_event", "measurement_view",
                "performance_fact", "portfolio_line", "liability_payout");
        return tables;
    }

    /** Rebuilds every read model through the admin endpoint and waits until all have caught up again. */
    public static void replayAll(Api admin) {
        Api.Response replay = admin.post("/api/admin/projections/all/replay", "");
        assertThat(replay.status()).as(replay.toString()).isEqualTo(202);
        assertThat(awaitCaughtUp(admin, Duration.ofSeconds(10)).json()).as("projections").hasSize(7);
    }

    /**
     * Waits until every projection has caught up with the event store's head and none is replaying; returns the
     * last status answer, and fails if that does not happen within {@code within}.
     */
    public static Api.Response awaitCaughtUp(Api admin, Duration within) {
        Api.Response status = Waits.lastAnswer(within, Duration.ofMillis(50), () -> admin.get("/api/admin/projections"),
                ReadModelTables::allCaughtUp);
        if (!allCaughtUp(status)) {
            throw new AssertionError("projections did not catch up within " + within + ": " + status.body());
        }
        return status;
    }

    private static boolean allCaughtUp(Api.Response status) {
        boolean done = status.status() == 200;
        for (var processor : status.json()) {
            done &= caughtUp(processor);
        }
        return done;
    }

    /** One processor's entry of GET /api/admin/projections: caught up with the head, and not replaying. */
    public static boolean caughtUp(com.fasterxml.jackson.databind.JsonNode processor) {
        return processor.path("caughtUp").asBoolean() && !processor.path("replaying").asBoolean();
    }

    /** Once the projections have caught up, every read model equals what a replay of the event store rebuilds. */
    public static void assertEqualToReplay(JdbcTemplate sql, Api admin, String what) {
        awaitCaughtUp(admin, Duration.ofSeconds(10));
        Map<String, List<String>> live = of(sql);
        replayAll(admin);
        assertThat(of(sql)).as(what + ": read models vs a replay").isEqualTo(live);
    }
}
