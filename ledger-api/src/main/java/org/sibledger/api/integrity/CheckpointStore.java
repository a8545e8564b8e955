package org.sibledger.api.integrity;

import org.sibledger.core.integrity.Checkpoint;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.List;

/** The signed checkpoints, one row per bond and sequence (table ledger_checkpoint). */
@Component
public class CheckpointStore {

    private static final RowMapper<Checkpoint> ROW = (rs, i) -> new Checkpoint(rs.getString("bond_id"),
            rs.getLong("sequence"), rs.getString("head_hash"), rs.getTimestamp("signed_at").toInstant(),
            rs.getString("key_id"), rs.getString("signature"));

    private final JdbcTemplate jdbc;

    public CheckpointStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** In the caller's transaction; a head signed before (the publisher's batch sent again) keeps its first checkpoint. */
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
