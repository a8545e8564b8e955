package org.sibledger.api.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.history.HistoryEntry;
import org.sibledger.core.integrity.ChainVerifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A bond's events exactly as its hash chain covers them ({@code GET /api/bonds/{bondId}/export}), so that anyone can
 * recompute the chain without the ledger:
 * <pre>
 * {"format": "sib-ledger-events/v1", "bondId": "...", "events": [
 *   {"sequence": 0, "type": "&lt;payload type as stored&gt;", "payload": {...as stored...}, "actor": "...",
 *    "onBehalfOf": null, "occurredAt": "...", "idempotencyKey": null, "previousHash": "...", "hash": "..."}, ...]}
 * </pre>
 * Each event's hash is the SHA-256 of the canonical JSON (keys sorted, no spaces, decimals as plain text) of
 * {@code {previousHash, bondId, sequence, type, payload, actor, onBehalfOf, occurredAt, idempotencyKey}}, the audit
 * fields as strings or null; the first event's previous hash is 64 zeros (see HashChain).
 */
public final class HistoryExport {

    public static final String FORMAT = "sib-ledger-events/v1";
    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final String[] FIELDS = {AuditMetadata.ACTOR, AuditMetadata.ON_BEHALF_OF, AuditMetadata.OCCURRED_AT,
            AuditMetadata.IDEMPOTENCY_KEY, AuditMetadata.PREVIOUS_HASH, AuditMetadata.HASH};

    private HistoryExport() {
    }

    /** A bond's exported events, as read back. */
    public record Events(String bondId, List<ChainVerifier.StoredEvent> events) {
    }

    public static ObjectNode write(String bondId, List<ChainVerifier.StoredEvent> events) {
        return write(bondId, events, entry -> entry);
    }

    /**
     * The export as one reader may see it (issue 16): each event passes the history's rule ({@code redaction},
     * Visibility's), and one the rule changes is written as the history shows it, with {@code "redacted": true}, its
     * sequence, type, time, previous hash and hash kept. Such an event's hash cannot be recomputed by its reader;
     * {@code verify} follows the chain over it on its hash ({@link ChainVerifier#REDACTED}).
     */
    public static ObjectNode write(String bondId, List<ChainVerifier.StoredEvent> events,
                                   UnaryOperator<HistoryEntry> redaction) {
        ObjectNode export = JSON.createObjectNode();
        export.put("format", FORMAT);
        export.put("bondId", bondId);
        ArrayNode items = export.putArray("events");
        for (ChainVerifier.StoredEvent event : events) {
            ObjectNode item = items.addObject();
            item.put("sequence", event.sequence());
            item.put("type", event.payloadType());
            JsonNode payload = JSON.valueToTree(event.payload());
            HistoryEntry shown = redaction.apply(entry(event, payload));
            if (Boolean.TRUE.equals(shown.redacted())) {
                item.set("payload", shown.payload());
                item.put(AuditMetadata.ACTOR, shown.actor());
                item.put(AuditMetadata.ON_BEHALF_OF, shown.onBehalfOf());
                item.put(AuditMetadata.OCCURRED_AT, shown.occurredAt());
                item.put(AuditMetadata.IDEMPOTENCY_KEY, shown.idempotencyKey());
                item.put(AuditMetadata.PREVIOUS_HASH, shown.previousHash());
                item.put(AuditMetadata.HASH, shown.hash());
                item.put("redacted", true);
                continue;
            }
            item.set("payload", payload);
            for (String field : FIELDS) {
                item.set(field, JSON.valueToTree(event.metadata().get(field)));
            }
        }
        return export;
    }

    /** A stored event as a history entry, for the history's rule: its short type is the history's (EventTypes). */
    private static HistoryEntry entry(ChainVerifier.StoredEvent event, JsonNode payload) {
        String name = event.payloadType().substring(event.payloadType().lastIndexOf('.') + 1);
        String type = name.endsWith("Event") ? name.substring(0, name.length() - "Event".length()) : name;
        return new HistoryEntry(event.sequence(), null, type, event.payloadType(), null,
                text(event.metadata().get(AuditMetadata.OCCURRED_AT)), text(event.metadata().get(AuditMetadata.ACTOR)),
                text(event.metadata().get(AuditMetadata.ON_BEHALF_OF)),
                text(event.metadata().get(AuditMetadata.IDEMPOTENCY_KEY)), text(event.metadata().get(AuditMetadata.HASH)),
                text(event.metadata().get(AuditMetadata.PREVIOUS_HASH)), payload);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /**
     * A bond's events as published on sib.ledger.events.v1 (envelopes, as a JSON array or one per line as kcat or
     * kafka-console-consumer print them), of any bonds and with the redeliveries of at-least-once: those of
     * {@code bondId}, once each, in sequence order, as the export gives them.
     */
    public static Events fromEnvelopes(String bondId, List<JsonNode> envelopes) {
        java.util.TreeMap<Long, ChainVerifier.StoredEvent> bySequence = new java.util.TreeMap<>();
        for (JsonNode envelope : envelopes) {
            if (!bondId.equals(envelope.path("bondId").asText()) || !envelope.path("sequence").canConvertToLong()) {
                continue;
            }
            if (!envelope.path("payloadType").isTextual()) {
                throw new IllegalArgumentException("an envelope lacks its payloadType (published before the envelope"
                        + " carried it): export the bond instead, GET /api/bonds/" + bondId + "/export");
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (String field : FIELDS) {
                JsonNode value = envelope.get(field);
                if (value != null && !value.isNull()) {
                    metadata.put(field, value.isValueNode() ? value.asText() : value);
                }
            }
            bySequence.putIfAbsent(envelope.get("sequence").asLong(), new ChainVerifier.StoredEvent(
                    envelope.get("sequence").asLong(), envelope.get("payloadType").asText(), envelope.path("payload"),
                    metadata));
        }
        return new Events(bondId, new ArrayList<>(bySequence.values()));
    }

    public static Events read(JsonNode export) {
        if (export == null || !export.path("bondId").isTextual() || !export.path("events").isArray()) {
            throw new IllegalArgumentException("not an export of a bond's events: it needs a bondId and an events array");
        }
        List<ChainVerifier.StoredEvent> events = new ArrayList<>();
        for (JsonNode item : export.get("events")) {
            if (!item.path("sequence").canConvertToLong() || !item.path("type").isTextual()) {
                throw new IllegalArgumentException("an exported event lacks its sequence or type: " + item);
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (String field : FIELDS) {
                JsonNode value = item.get(field);
                if (value != null && !value.isNull()) {
                    metadata.put(field, value.isValueNode() ? value.asText() : value);
                }
            }
            // an event redacted for the reader who exported it is followed on its hash (ChainVerifier.REDACTED)
            events.add(new ChainVerifier.StoredEvent(item.get("sequence").asLong(), item.get("type").asText(),
                    item.path("redacted").asBoolean(false) ? ChainVerifier.REDACTED : item.path("payload"), metadata));
        }
        return new Events(export.get("bondId").asText(), events);
    }
}
