package org.sibledger.core.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tamper-evident chain of a bond's events: each event's hash is the SHA-256 of its canonical content (bond,
 * sequence, type, payload, audit metadata) together with the previous event's hash, so changing or removing any
 * stored event breaks every hash after it.
 */
public final class HashChain {

    /** The "previous hash" of a bond's first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final ObjectMapper CANONICAL = ContractsJson.canonicalMapper();
    private static final String[] HASHED_METADATA = {
            AuditMetadata.ACTOR, AuditMetadata.ON_BEHALF_OF, AuditMetadata.OCCURRED_AT, AuditMetadata.IDEMPOTENCY_KEY
    };

    private HashChain() {
    }

    /**
     * @param payload  the event payload (a record, or its JSON tree when verifying stored events)
     * @param metadata the event's metadata; only the audit keys are hashed
     */
    public static String hash(String previousHash, String bondId, long sequence, String type, Object payload,
                              Map<String, ?> metadata) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("previousHash", previousHash);
        content.put("bondId", bondId);
        content.put("sequence", sequence);
        content.put("type", type);
        // Through a plain tree of maps, so that a record and its stored JSON give the same sorted bytes.
        content.put("payload", CANONICAL.convertValue(payload, Object.class));
        for (String key : HASHED_METADATA) {
            Object value = metadata.get(key);
            content.put(key, value == null ? null : value.toString());
        }
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(content);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash event " + bondId + "#" + sequence, e);
        }
    }
}
