package org.sibledger.api.integrity;

import org.sibledger.core.integrity.Checkpoint;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * The signed checkpoints, one row per bond and sequence (table ledger_checkpoint), and the heads waiting to be signed
 * (ledger_checkpoint_pending, one row per bond).
 */
@Component
public class CheckpointStore {

    private static final RowMapper<Checkpoint> ROW = (rs, i) -> new Checkpoint(rs.getString("bond_id"),
            rs.getLong("sequence"), rs.getString("head_hash"), rs.getTimestamp("signed_at").toInstant(),
            rs.getString("key_id"), rs.getString("signature"));

    private final JdbcTemplate jdbc;

    public CheckpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A bond's last event: its sequence and hash. */
    record Head(long sequence, String hash) {
    }

    /** In the caller's transaction: these bonds' heads are to be signed (a pending head never moves back). */
    void markPending(Map<String, Head> heads) {
        jdbc.batchUpdate("""
                        INSERT INTO ledger_checkpoint_pending (bond_id, sequence, head_hash) VALUES (?, ?, ?)
                        ON CONFLICT (bond_id) DO UPDATE SET sequence = EXCLUDED.sequence, head_hash = EXCLUDED.head_hash
                        WHERE ledger_checkpoint_pending.sequence < EXCLUDED.sequence""", List.copyOf(heads.entrySet()),
                100, (ps, head) -> {
                    ps.setString(1, head.getKey());
                    ps.setLong(2, head.getValue().sequence());
                    ps.setString(3, head.getValue().hash());
                });
    }

    /**
     * In the caller's transaction: up to {@code limit} pending heads, taken off the list (back on it if the
     * transaction rolls back); rows that another node is signing are skipped.
     */
    List<Map.Entry<String, Head>> claimPending(int limit) {
        return jdbc.query("""
                        DELETE FROM ledger_checkpoint_pending WHERE bond_id IN (
                            SELECT bond_id FROM ledger_checkpoint_pending ORDER BY bond_id LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING bond_id, sequence, head_hash""",
                (rs, i) -> Map.entry(rs.getString(1), new Head(rs.getLong(2), rs.getString(3))), limit);
    }

    /** In the caller's transaction; a head signed before keeps its first checkpoint. */
    void add(List<Checkpoint> checkpoints) {
        jdbc.batchUpdate("""
                        INSERT INTO ledger_checkpoint (bond_id, sequence, head_hash, signed_at, key_id, signature)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bond_id, sequence) DO NOTHING""", checkpoints, 100,
                (ps, c) -> {
                    ps.setString(1, c.bondId());
                    ps.setLong(2, c.sequence());
                    ps.setString(3, c.headHash());
                    ps.setTimestamp(4, Timestamp.from(c.signedAt()));
                    ps.setString(5, c.keyId());
                    ps.setString(6, c.signature());
                });
    }

    /** The bond's newest checkpoints, newest first. */
    public List<Checkpoint> newest(String bondId, int limit) {
        return jdbc.query("SELECT * FROM ledger_checkpoint WHERE bond_id = ? ORDER BY sequence DESC LIMIT ?", ROW,
                bondId, limit);
    }

    /** All the bond's checkpoints, oldest first. */
    public List<Checkpoint> all(String bondId) {
        return jdbc.query("SELECT * FROM ledger_checkpoint WHERE bond_id = ? ORDER BY sequence", ROW, bondId);
    }
}
