package org.sibledger.contracts.stream;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A ledger event as published on {@code sib.ledger.events.v1} (schemas/ledger-event-envelope.schema.json).
 * Delivery is at least once: consumers de-duplicate by {@code eventId}. It carries everything the event's hash
 * covers ({@code payloadType}, the type name as hashed, and {@code idempotencyKey} besides the rest), so that the
 * chain can be checked from the stream alone.
 */
public record LedgerEventEnvelope(
        String eventId,
        String type,
        String revision,
        String bondId,
        long sequence,
        Instant occurredAt,
        String actor,
        String onBehalfOf,
        JsonNode payload,
        String hash,
        String previousHash,
        String payloadType,
        String idempotencyKey) {

    public static final String TOPIC = "sib.ledger.events.v1";
}
