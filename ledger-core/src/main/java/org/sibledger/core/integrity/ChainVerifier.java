package org.sibledger.core.integrity;

import org.sibledger.contracts.common.AuditMetadata;

import java.util.List;
import java.util.Map;

/**
 * Recomputes a bond's hash chain from its stored events and names the first event that breaks it: changed content,
 * a removed or reordered event (a gap in the sequence or a previous-hash mismatch), or a forged hash. Events removed
 * from the end of the stream leave a shorter valid chain; comparing the head hash with one published earlier (the
 * ledger's Kafka stream carries every hash) detects that.
 */
public final class ChainVerifier {

    private ChainVerifier() {
    }

    /** One stored event: its payload as stored (a JSON tree or a record) and its metadata. */
    public record StoredEvent(long sequence, String payloadType, Object payload, Map<String, ?> metadata) {
    }

    public record Verdict(boolean intact, int eventsChecked, Long firstBadSequence, String reason, String headHash) {
        static Verdict ok(int count, String head) {
            return new Verdict(true, count, null, null, head);
        }

        static Verdict broken(int count, long sequence, String reason) {
            return new Verdict(false, count, sequence, reason, null);
        }
    }

    public static Verdict verify(String bondId, List<StoredEvent> events) {
        String previous = HashChain.GENESIS;
        long expectedSequence = 0;
        int checked = 0;
        for (StoredEvent event : events) {
            checked++;
            if (event.sequence() != expectedSequence) {
                return Verdict.broken(checked, expectedSequence, "event " + expectedSequence + " is missing");
            }
            Object storedPrevious = event.metadata().get(AuditMetadata.PREVIOUS_HASH);
            if (!previous.equals(storedPrevious)) {
                return Verdict.broken(checked, event.sequence(), "its previous hash does not match the event before it");
            }
            String recomputed = HashChain.hash(previous, bondId, event.sequence(), event.payloadType(), event.payload(),
                    event.metadata());
            if (!recomputed.equals(event.metadata().get(AuditMetadata.HASH))) {
                return Verdict.broken(checked, event.sequence(), "its content does not match its hash");
            }
            previous = recomputed;
            expectedSequence++;
        }
        return Verdict.ok(checked, previous);
    }
}
