package org.sibledger.core.integrity;

import org.sibledger.contracts.common.AuditMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Recomputes a bond's hash chain from its stored events and names the first event that breaks it: changed content,
 * a removed or reordered event (a gap in the sequence or a previous-hash mismatch), or a forged hash. Events removed
 * from the end of the stream leave a shorter valid chain, and a rewritten event whose later hashes were all recomputed
 * leaves a valid chain too: only a {@link Checkpoint} of the head signed earlier tells them apart, which
 * {@link #verify(String, List, List)} compares.
 */
public final class ChainVerifier {

    private ChainVerifier() {
    }

    /** One stored event: its payload as stored (a JSON tree or a record) and its metadata. */
    public record StoredEvent(long sequence, String payloadType, Object payload, Map<String, ?> metadata) {
    }

    /**
     * @param checkpointSequence the sequence of the newest checkpoint the events were compared with, if any
     */
    public record Verdict(boolean intact, int eventsChecked, Long firstBadSequence, String reason, String headHash,
                          Long checkpointSequence) {
        static Verdict ok(int count, String head, Long checkpoint) {
            return new Verdict(true, count, null, null, head, checkpoint);
        }

        static Verdict broken(int count, long sequence, String reason, Long checkpoint) {
            return new Verdict(false, count, sequence, reason, null, checkpoint);
        }
    }

    /** The chain alone: finds any change that did not recompute the hashes after it, and gaps. */
    public static Verdict verify(String bondId, List<StoredEvent> events) {
        return verify(bondId, events, List.of());
    }

    /**
     * The chain, then the checkpoints: each checkpoint (whose signature the caller has verified) must find an event
     * at its sequence whose hash is its head hash. The first sequence reported is the first one no longer proven:
     * the sequence after the last event that matches a checkpoint (exact when a checkpoint was signed after each
     * change, a range's start otherwise), or the first event missing below the newest checkpoint's sequence, or the
     * first break of the chain itself, whichever comes first.
     *
     * @param checkpoints the bond's checkpoints, in any order
     */
    public static Verdict verify(String bondId, List<StoredEvent> events, List<Checkpoint> checkpoints) {
        List<String> hashes = new ArrayList<>(events.size());
        Verdict chain = chain(bondId, events, hashes);
        List<Checkpoint> ordered = checkpoints.stream().sorted(Comparator.comparingLong(Checkpoint::sequence)).toList();
        Long newest = ordered.isEmpty() ? null : ordered.get(ordered.size() - 1).sequence();
        long lastProven = -1;
        Long checkpointBad = null;
        String checkpointReason = null;
        for (Checkpoint checkpoint : ordered) {
            long sequence = checkpoint.sequence();
            if (sequence < hashes.size()) {
                if (hashes.get((int) sequence).equals(checkpoint.headHash())) {
                    lastProven = Math.max(lastProven, sequence);
                    continue;
                }
                checkpointBad = lastProven + 1;
                checkpointReason = (checkpointBad == sequence ? "event " + sequence + " does"
                        : "events " + checkpointBad + " to " + sequence + " do") + " not match the checkpoint signed at "
                        + checkpoint.signedAt() + " for sequence " + sequence + " (the chain was rewritten"
                        + (chain.intact() ? " and its hashes recomputed)" : ")");
                break;
            }
            if (chain.intact()) {
                // the chain is whole and shorter than the checkpoint: events were removed from its end
                checkpointBad = (long) hashes.size();
                checkpointReason = (hashes.size() == sequence ? "event " + sequence + " is" : "events " + hashes.size()
                        + " to " + sequence + " are") + " missing: the checkpoint signed at " + checkpoint.signedAt()
                        + " covers sequence " + sequence;
                break;
            }
            break; // beyond a break of the chain: the chain's own verdict names the earlier sequence
        }
        if (checkpointBad != null && (chain.intact() || checkpointBad <= chain.firstBadSequence())) {
            return Verdict.broken(chain.eventsChecked(), checkpointBad, checkpointReason, newest);
        }
        return chain.intact() ? Verdict.ok(chain.eventsChecked(), chain.headHash(), newest)
                : Verdict.broken(chain.eventsChecked(), chain.firstBadSequence(), chain.reason(), newest);
    }

    /** Recomputes the chain, adding the hash of each event that holds to {@code hashes}. */
    private static Verdict chain(String bondId, List<StoredEvent> events, List<String> hashes) {
        String previous = HashChain.GENESIS;
        long expectedSequence = 0;
        int checked = 0;
        for (StoredEvent event : events) {
            checked++;
            if (event.sequence() != expectedSequence) {
                return Verdict.broken(checked, expectedSequence, "event " + expectedSequence + " is missing", null);
            }
            Object storedPrevious = event.metadata().get(AuditMetadata.PREVIOUS_HASH);
            if (!previous.equals(storedPrevious)) {
                return Verdict.broken(checked, event.sequence(), "its previous hash does not match the event before it",
                        null);
            }
            String recomputed = HashChain.hash(previous, bondId, event.sequence(), event.payloadType(), event.payload(),
                    event.metadata());
            if (!recomputed.equals(event.metadata().get(AuditMetadata.HASH))) {
                return Verdict.broken(checked, event.sequence(), "its content does not match its hash", null);
            }
            hashes.add(recomputed);
            previous = recomputed;
            expectedSequence++;
        }
        return Verdict.ok(checked, previous, null);
    }
}
