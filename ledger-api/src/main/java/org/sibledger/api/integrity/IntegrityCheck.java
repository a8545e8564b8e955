package org.sibledger.api.integrity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.integrity.ChainVerifier;
import org.sibledger.core.integrity.Checkpoint;
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

    /**
     * What a party's kept checkpoint says of the bond's stored events, for the bond's page: the check that
     * {@code java -jar ledger-api.jar verify} does offline, against the events as stored now and the checkpoints the
     * party kept instead of the stored ones (which whoever shortened or rewrote the history may have removed too).
     * The text is one checkpoint as served or published, a list of them, or the checkpoints API's whole answer; each
     * must be of this bond and carry the ledger's signature, else nothing is compared and the problem says why.
     */
    public Kept verifyKept(String bondId, String text) {
        if (text == null || text.isBlank()) {
            return Kept.problem(Kept.EMPTY);
        }
        List<Checkpoint> kept;
        try {
            kept = OfflineVerifier.checkpoints(JSON.readTree(text));
        } catch (IOException | IllegalArgumentException e) {
            return Kept.problem(Kept.NOT_A_CHECKPOINT);
        }
        if (kept.isEmpty()) {
            return Kept.problem(Kept.NOT_A_CHECKPOINT);
        }
        for (Checkpoint checkpoint : kept) {
            if (!bondId.equals(checkpoint.bondId())) {
                return Kept.problem(Kept.OTHER_BOND, checkpoint.bondId());
            }
            if (!checkpoint.verifies(key.publicKey())) {
                return Kept.problem(Kept.NOT_SIGNED, checkpoint.sequence(), key.keyId());
            }
        }
        Checkpoint newest = kept.stream().max(java.util.Comparator.comparingLong(Checkpoint::sequence)).orElseThrow();
        return new Kept(null, List.of(), ChainVerifier.verify(bondId, events(bondId), kept), newest);
    }

    /**
     * The result of {@link #verifyKept}: a problem with the text (a code and its arguments), or the verdict of the
     * stored events against the kept checkpoints, the newest of which is given.
     */
    public record Kept(String problem, List<Object> arguments, ChainVerifier.Verdict verdict, Checkpoint newest) {
        public static final String EMPTY = "empty";
        public static final String NOT_A_CHECKPOINT = "not-a-checkpoint";
        public static final String OTHER_BOND = "other-bond";
        public static final String NOT_SIGNED = "not-signed";

        static Kept problem(String code, Object... arguments) {
            return new Kept(code, List.of(arguments), null, null);
        }
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
