package org.sibledger.contracts.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** One event of a bond as the history read model keeps it: who acted, when, and its link in the hash chain. */
public record HistoryEntry(long sequence, String eventId, String type, String revision, Instant occurredAt,
                           String actor, String onBehalfOf, String idempotencyKey, String hash, String previousHash,
                           JsonNode payload) {
}
