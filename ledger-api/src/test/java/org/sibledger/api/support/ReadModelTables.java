package org.sibledger.api.support;

import org.springframework.jdbc.core.JdbcTemplate;

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
                    'associationvalueentry', 'deadletterentry', 'flyway_schema_history', 'idempotency_record')
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
        Api.Response status = admin.await("/api/admin/projections", r -> {
            boolean done = r.status() == 200 && r.json().size() == 7;
            for (var processor : r.json()) {
                done &= processor.path("caughtUp").asBoolean() && !processor.path("replaying").asBoolean();
            }
            return done;
        });
        status.json().forEach(p -> assertThat(p.get("caughtUp").asBoolean()).as(status.body()).isTrue());
    }
}
