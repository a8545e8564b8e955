package org.sibledger.projections.support;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.sibledger.contracts.common.AuditMetadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Events as the store delivers them to a processor: each a domain event of its bond with the next sequence number,
 * the next global position as its tracking token, the ledger's audit metadata and a moment that advances one minute
 * per event (or is set), so the same events built again are the same messages, identifiers included.
 */
public final class EventStream {

    private final Map<String, Long> sequences = new HashMap<>();
    private long position = -1;
    private Instant clock;

    public EventStream(Instant start) {
        this.clock = start;
    }

    /** The next event is recorded at this moment (and later ones one minute apart from it). */
    public EventStream at(Instant moment) {
        clock = moment;
        return this;
    }

    /** The next event of {@code bondId}, acted by {@code actor}. */
    public TrackedEventMessage<?> next(String bondId, Object payload, String actor) {
        long sequence = sequences.merge(bondId, 1L, Long::sum) - 1;
        position++;
        Instant at = clock;
        clock = clock.plus(Duration.ofMinutes(1));
        Map<String, Object> meta = new HashMap<>();
        meta.put(AuditMetadata.ACTOR, actor);
        meta.put(AuditMetadata.OCCURRED_AT, at.toString());
        meta.put(AuditMetadata.IDEMPOTENCY_KEY, "key-" + bondId + "-" + sequence);
        meta.put(AuditMetadata.HASH, hash(bondId, sequence));
        meta.put(AuditMetadata.PREVIOUS_HASH, sequence == 0 ? null : hash(bondId, sequence - 1));
        DomainEventMessage<?> event = new GenericDomainEventMessage<>("Bond", bondId, sequence, payload, meta,
                "event-" + bondId + "-" + sequence, at);
        return new GenericTrackedDomainEventMessage<>(new GlobalSequenceTrackingToken(position), event);
    }

    /** A link of the hash chain as the ledger writes it: 64 hexadecimal digits (here of the event's place). */
    public static String hash(String bondId, long sequence) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((bondId + "/" + sequence).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public TrackedEventMessage<?> next(String bondId, Object payload) {
        return next(bondId, payload, "arranger");
    }
}
