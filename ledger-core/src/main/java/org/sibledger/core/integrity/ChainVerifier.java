package org.sibledger.core.integrity;

import org.sibledger.contracts.common.AuditMetadata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
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

        /** An event whose content this reader was not shown ({@link #REDACTED} payload): only its link is checked. */
        public boolean redacted() {
            return payload == REDACTED;
        }
    }

    /**
     * The payload of an event exported to a reader who may not see it (another investor's position, another payer's
     * payout, participant-level claims): its hash cannot be recomputed, so the chain takes it as given, after checking
     * that it links to the event before it. What the reader is shown is still proven, as every later hash covers the
     * given one and the head is signed. Only an export's reader makes such events; the event store never holds one.
     */
    public static final Object REDACTED = new Object() {
        @Override
        public String toString() {
            return "(redacted)";
        }
    };

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

    /** {@link #verify(String, List, List, Predicate)} with checkpoints whose signatures are already verified. */
    public static Verdict verify(String bondId, List<StoredEvent> events, List<Checkpoint> checkpoints) {
        return verify(bondId, events, checkpoints, c -> true);
    }

    /**
     * The chain, then the checkpoints: the newest checkpoint's sequence must be stored, and each checkpoint must
     * find an event at its sequence whose hash is its head hash. The first sequence reported is the first one no
     * longer proven: the first event missing below the newest checkpoint's sequence, or the sequence after the last
     * event that matches a checkpoint (exact when a checkpoint was signed after each change, the start of the range
     * between two checkpoints otherwise), or the first break of the chain itself, whichever comes first.
     * <p>
     * Along an intact chain, a checkpoint that matches implies that every earlier one matches (each hash covers all
     * before it), so the boundary is found by bisection and only the checkpoints that decide the verdict have their
     * signatures checked ({@code signed}, about a millisecond each): a checkpoint not signed by the ledger counts as
     * nothing.
     *
     * @param checkpoints the bond's checkpoints, in any order
     * @param signed      whether a checkpoint carries the ledger's signature
     */
    public static Verdict verify(String bondId, List<StoredEvent> events, List<Checkpoint> checkpoints,
                                 Predicate<Checkpoint> signed) {
        List<String> hashes = new ArrayList<>(events.size());
        Verdict chain = chain(bondId, events, hashes);
        List<Checkpoint> ordered = checkpoints.stream().sorted(Comparator.comparingLong(Checkpoint::sequence)).toList();
        int stored = hashes.size(); // the events whose chain holds: 0 .. stored - 1
        // the checkpoints within the chain that holds, and those beyond it
        int within = 0;
        while (within < ordered.size() && ordered.get(within).sequence() < stored) {
            within++;
        }
        Long newest = null;
        Long bad = null;
        String reason = null;
        for (int i = ordered.size() - 1; i >= within && newest == null; i--) {
            Checkpoint checkpoint = ordered.get(i);
            if (signed.test(checkpoint)) {
                newest = checkpoint.sequence();
                if (chain.intact()) {
                    // the chain is whole and shorter than the checkpoint: events were removed from its end
                    bad = (long) stored;
                    reason = (stored == checkpoint.sequence() ? "event " + stored + " is" : "events " + stored + " to "
                            + checkpoint.sequence() + " are") + " missing: the checkpoint signed at "
                            + checkpoint.signedAt() + " covers sequence " + checkpoint.sequence();
                }
            }
        }
        // bisection for the first checkpoint within the chain that no longer matches
        int low = 0;
        int high = within;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (matches(ordered.get(middle), hashes)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        for (int i = low; i < within; i++) { // the first mismatch the ledger signed is the evidence
            Checkpoint evidence = ordered.get(i);
            if (!matches(evidence, hashes) && signed.test(evidence)) {
                long lastProven = -1;
                for (int j = low - 1; j >= 0 && lastProven < 0; j--) {
                    if (matches(ordered.get(j), hashes) && signed.test(ordered.get(j))) {
                        lastProven = ordered.get(j).sequence();
                    }
                }
                long first = lastProven + 1;
                bad = first;
                reason = (first == evidence.sequence() ? "event " + first + " does" : "events " + first + " to "
                        + evidence.sequence() + " do") + " not match the checkpoint signed at " + evidence.signedAt()
                        + " for sequence " + evidence.sequence() + " (the chain was rewritten"
                        + (chain.intact() ? " and its hashes recomputed)" : ")");
                break;
            }
        }
        if (newest == null) {
            for (int i = within - 1; i >= 0 && newest == null; i--) {
                if (signed.test(ordered.get(i))) {
                    newest = ordered.get(i).sequence();
                }
            }
        }
        if (bad != null && (chain.intact() || bad <= chain.firstBadSequence())) {
            return Verdict.broken(chain.eventsChecked(), bad, reason, newest);
        }
        return chain.intact() ? Verdict.ok(chain.eventsChecked(), chain.headHash(), newest)
                : Verdict.broken(chain.eventsChecked(), chain.firstBadSequence(), chain.reason(), newest);
    }

    private static boolean matches(Checkpoint checkpoint, List<String> hashes) {
        return hashes.get((int) checkpoint.sequence()).equals(checkpoint.headHash());
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
            String recomputed;
            if (event.redacted()) {
                Object given = event.metadata().get(AuditMetadata.HASH);
                if (!(given instanceof String hash) || !hash.matches("[0-9a-f]{64}")) {
                    return Verdict.broken(checked, event.sequence(), "it is redacted and gives no hash to follow", null);
                }
                recomputed = hash;
            } else {
                recomputed = HashChain.hash(previous, bondId, event.sequence(), event.payloadType(), event.payload(),
                        event.metadata());
            }
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
