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
 * not from anything derived from them, so a row changed or deleted behind the ledger's back is found.
 */
@Component
public class IntegrityCheck {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final TypeReference<Map<String, Object>> META = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;

    public IntegrityCheck(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public ChainVerifier.Verdict verify(String bondId) {
        List<ChainVerifier.StoredEvent> events = jdbc.query("""
                        SELECT sequencenumber, payloadtype, payload, metadata FROM domainevententry
                        WHERE aggregateidentifier = ? ORDER BY sequencenumber""",
                (rs, i) -> new ChainVerifier.StoredEvent(rs.getLong(1), rs.getString(2), read(rs.getBytes(3)),
                        metadata(rs.getBytes(4))), bondId);
        return ChainVerifier.verify(bondId, events);
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
