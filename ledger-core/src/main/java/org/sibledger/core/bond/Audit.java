package org.sibledger.core.bond;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.messaging.MetaData;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** The audit part of a command's metadata, which every event it causes carries on. */
final class Audit {

    /** Metadata key of the fingerprint of the command that caused an event, stored beside its idempotency key. */
    static final String COMMAND_FINGERPRINT = "commandFingerprint";

    private static final ObjectMapper CANONICAL = ContractsJson.canonicalMapper();
    private static final String[] KEYS = {
            AuditMetadata.ACTOR, AuditMetadata.ON_BEHALF_OF, AuditMetadata.OCCURRED_AT, AuditMetadata.IDEMPOTENCY_KEY
    };

    private Audit() {
    }

    static MetaData of(MetaData commandMetaData) {
        Map<String, Object> audit = new HashMap<>();
        for (String key : KEYS) {
            Object value = commandMetaData.get(key);
            if (value != null) {
                audit.put(key, value.toString());
            }
        }
        return MetaData.from(audit);
    }

    static String requireActor(MetaData metaData) {
        Object actor = metaData.get(AuditMetadata.ACTOR);
        if (actor == null || actor.toString().isBlank()) {
            throw Refusals.forbidden("no-actor", "The command names no acting principal");
        }
        return actor.toString();
    }

    /** The day, in UTC, the command was sent or the event recorded (its {@code occurredAt}). */
    static java.time.LocalDate today(MetaData metaData) {
        Object occurredAt = metaData.get(AuditMetadata.OCCURRED_AT);
        java.time.Instant instant = occurredAt == null ? java.time.Instant.EPOCH : java.time.Instant.parse(occurredAt.toString());
        return instant.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }

    /** SHA-256 of the command's type and canonical JSON: the same command always has the same fingerprint. */
    static String fingerprint(Object command) {
        try {
            return sha256(command.getClass().getName() + ":" + CANONICAL.writeValueAsString(
                    CANONICAL.convertValue(command, Object.class)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint " + command.getClass().getSimpleName(), e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
