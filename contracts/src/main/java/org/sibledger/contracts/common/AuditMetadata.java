package org.sibledger.contracts.common;

/**
 * Metadata keys every command and event carries: who acted, on whose behalf, when, under which idempotency key,
 * and the event's place in its bond's hash chain.
 */
public final class AuditMetadata {

    public static final String ACTOR = "actor";
    public static final String ON_BEHALF_OF = "onBehalfOf";
    public static final String OCCURRED_AT = "occurredAt";
    public static final String IDEMPOTENCY_KEY = "idempotencyKey";
    public static final String HASH = "hash";
    public static final String PREVIOUS_HASH = "previousHash";

    private AuditMetadata() {
    }
}
