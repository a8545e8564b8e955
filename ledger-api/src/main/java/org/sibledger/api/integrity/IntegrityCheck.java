package org.sibledger.api.integrity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.integrity.ChainVerifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Recomputes a bond's hash chain from the rows of the event store exactly as stored (payload and metadata bytes),
 * not from anything derived from them, so a row changed or deleted behind the ledger's back is found; and compares it
 * with the bond's stored checkpoints that carry the ledger's signature, so that a history shortened at its end, or
 * rewritten with every later hash recomputed, is found too (see {@link ChainVerifier#verify(String, List, List)}).
 */
@Component
public class IntegrityCheck {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final TypeReference<Map<String, Object>> META = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final CheckpointStore checkpoints;
    private final SigningKey key;

    public IntegrityCheck(JdbcTemplate jdbc, CheckpointStore checkpoints, SigningKey key) {
        this.jdbc = jdbc;
        this.checkpoints = checkpoints;
        this.key = key;
    }

    /**
     * A stored checkpoint that the ledger's key did not sign counts as nothing: whoever can write the table cannot
     * vouch for a history with it. (A checkpoint removed from the table is not noticed here: the parties who kept one
     * notice it, with {@code verify} on their copy.)
     */
    public ChainVerifier.Verdict verify(String bondId) {
        return ChainVerifier.verify(bondId, events(bondId), checkpoints.all(bondId), c -> c.verifies(key.publicKey()));
    }

    /** The bond's events as stored, in order: what its hash chain covers. */
    public List<ChainVerifier.StoredEvent> events(String bondId) {
        return jdbc.query("""
                        SELECT sequencenumber, payloadtype, payload, metadata FROM domainevententry
                        WHERE aggregateidentifier = ? ORDER BY sequencenumber""",
                (rs, i) -> new ChainVerifier.StoredEvent(rs.getLong(1), rs.getString(2), read(rs.getBytes(3)),
                        metadata(rs.getBytes(4))), bondId);
    }

    /** A payload that is no longer JSON hashes as its raw text, so it fails its hash instead of stopping the check. */
    private static Object read(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Axon's Jackson serializer stores metadata as a JSON object of its entries. */
    private static Map<String, Object> metadata(byte[] bytes) {
        try {
            return bytes == null ? Map.of() : JSON.readValue(bytes, META);
        } catch (IOException e) {
            return Map.of();
        }
    }
}
