package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.core.integrity.HashChain;

import java.util.Iterator;
import java.util.LinkedHashMap;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The bond's hash chain and the idempotency keys it remembers: a member of the bond that sees every event it
 * records, through one handler. Axon invokes only the most specific handler of the root for an event, but forwards
 * every event to each member, so the chain's head moves here and nowhere else.
 * <p>
 * Remembered keys are bounded: the last {@value #KEYS_KEPT} keys of the bond, oldest forgotten first, so a bond's
 * state does not grow with every command. A retry under a forgotten key is decided again on its merits (a second
 * approval is refused as already decided, a second payment as not payable), so the bound loses no money.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class BondChain {

    /** How many idempotency keys a bond remembers, the most recent. */
    static final int KEYS_KEPT = 10_000;

    private long lastSequence = -1;
    private String lastHash = HashChain.GENESIS;
    /** Idempotency key, scoped to the actor that sent it (see {@link #keyOf}) -> fingerprint of its command, oldest first. */
    private LinkedHashMap<String, String> idempotencyKeys = new LinkedHashMap<>();

    @EventSourcingHandler
    void on(Object event, @SequenceNumber long sequence, MetaData metaData) {
        this.lastSequence = sequence;
        this.lastHash = String.valueOf(metaData.get(AuditMetadata.HASH));
        Object key = metaData.get(AuditMetadata.IDEMPOTENCY_KEY);
        Object fingerprint = metaData.get(Audit.COMMAND_FINGERPRINT);
        if (key != null && fingerprint != null && idempotencyKeys.putIfAbsent(keyOf(key, metaData),
                fingerprint.toString()) == null && idempotencyKeys.size() > KEYS_KEPT) {
            Iterator<String> oldest = idempotencyKeys.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Applies an event with its audit metadata, chained to the previous event's hash. */
    void record(String bondId, Object event, MetaData commandMetaData, Object command) {
        Storable.require(event);
        long sequence = lastSequence + 1;
        MetaData audit = Audit.of(commandMetaData);
        if (commandMetaData.get(AuditMetadata.IDEMPOTENCY_KEY) != null) {
            // only a key is ever compared with the fingerprint (a retry under the same key must be the same command);
            // without one it would be two serializations and a SHA-256 per command for nothing
            audit = audit.and(Audit.COMMAND_FINGERPRINT, Audit.fingerprint(command));
        }
        String id = bondId != null ? bondId : ((BondStructuredEvent) event).bondId();
        String hash = HashChain.hash(lastHash, id, sequence, event.getClass().getName(), event, audit);
        apply(event, audit.and(AuditMetadata.PREVIOUS_HASH, lastHash).and(AuditMetadata.HASH, hash));
    }

    /** True when this exact command was handled already under its idempotency key; refused when the key was used for another. */
    boolean isRetry(Object command, MetaData metaData) {
        Object key = metaData.get(AuditMetadata.IDEMPOTENCY_KEY);
        if (key == null) {
            return false;
        }
        String seen = idempotencyKeys.get(keyOf(key, metaData));
        if (seen == null) {
            return false;
        }
        if (seen.equals(Audit.fingerprint(command))) {
            return true;
        }
        throw Refusals.conflict("idempotency-key-reused", "Idempotency key '" + key
                + "' was already used by this principal on this bond for a different command").with(key);
    }

    int keysRemembered() {
        return idempotencyKeys.size();
    }

    /** Keys are the client's: two principals choosing the same key never collide, as at the REST layer. */
    private static String keyOf(Object key, MetaData metaData) {
        return metaData.getOrDefault(AuditMetadata.ACTOR, "") + "\u0000" + key;
    }
}
