package org.sibledger.contracts.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event of a bond as the history read model keeps it: who acted, when, and its link in the hash chain.
 * {@code occurredAt} is the text the event's hash covers, to the nanosecond, and {@code payloadType} the payload's type
 * name as hashed (the short {@code type} is for reading), so that the chain can be recomputed from the history alone.
 * {@code redacted} is true on an entry shown to a reader with what is not that reader's own taken out (the whole
 * payload and who acted, or some fields of the payload); its sequence, type, time, hash and previous hash are kept, so
 * the chain can still be followed. Absent (null) on entries shown as stored.
 */
public record HistoryEntry(long sequence, String eventId, String type, String payloadType, String revision,
                           String occurredAt, String actor, String onBehalfOf, String idempotencyKey, String hash,
                           String previousHash, JsonNode payload, Boolean redacted) {

    public HistoryEntry(long sequence, String eventId, String type, String payloadType, String revision,
                        String occurredAt, String actor, String onBehalfOf, String idempotencyKey, String hash,
                        String previousHash, JsonNode payload) {
        this(sequence, eventId, type, payloadType, revision, occurredAt, actor, onBehalfOf, idempotencyKey, hash,
                previousHash, payload, null);
    }

    /** {@link #occurredAt()} as a moment, for ordering and showing. */
    public Instant occurredAtInstant() {
        return occurredAt == null ? null : Instant.parse(occurredAt);
    }
}
