package org.sibledger.core.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChainVerifierTest {

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    @Test
    void anIntactChainVerifies() {
        List<ChainVerifier.StoredEvent> events = chain(5);
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events);
        assertThat(verdict.intact()).isTrue();
        assertThat(verdict.eventsChecked()).isEqualTo(5);
        assertThat(verdict.headHash()).isEqualTo(events.get(4).metadata().get(AuditMetadata.HASH));
    }

    @Test
    void aChangedPayloadIsNamed() {
        List<ChainVerifier.StoredEvent> events = new ArrayList<>(chain(5));
        ChainVerifier.StoredEvent third = events.get(2);
        ObjectNode changed = ((ObjectNode) third.payload()).deepCopy().put("amount", "999.00");
        events.set(2, new ChainVerifier.StoredEvent(2, third.payloadType(), changed, third.metadata()));
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(2L);
        assertThat(verdict.reason()).contains("content");
    }

    @Test
    void aRemovedEventIsNamed() {
        List<ChainVerifier.StoredEvent> events = new ArrayList<>(chain(5));
        events.remove(1);
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(1L);
        assertThat(verdict.reason()).contains("missing");
    }

    @Test
    void aChangedActorIsNamedEvenWithTheHashRecomputedForThatEventAlone() {
        List<ChainVerifier.StoredEvent> events = new ArrayList<>(chain(3));
        ChainVerifier.StoredEvent first = events.get(0);
        Map<String, Object> forged = new HashMap<>(first.metadata());
        forged.put(AuditMetadata.ACTOR, "mallory");
        forged.put(AuditMetadata.HASH, HashChain.hash(HashChain.GENESIS, "b", 0, first.payloadType(), first.payload(), forged));
        events.set(0, new ChainVerifier.StoredEvent(0, first.payloadType(), first.payload(), forged));
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(1L);
    }

    /**
     * An export redacted for its reader (issue 16: another investor's position, another payer's payout): the redacted
     * events are followed on their given hash, the events shown are recomputed, so changing what is shown, or giving
     * a redacted event another hash, still breaks the chain.
     */
    @Test
    void aRedactedEventIsFollowedOnItsHashAndWhatIsShownIsStillProven() {
        List<ChainVerifier.StoredEvent> events = new ArrayList<>(chain(5));
        events.set(2, redacted(events.get(2), events.get(2).metadata()));
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events);
        assertThat(verdict.intact()).isTrue();
        assertThat(verdict.headHash()).isEqualTo(events.get(4).metadata().get(AuditMetadata.HASH));

        List<ChainVerifier.StoredEvent> shownChanged = new ArrayList<>(events);
        ChainVerifier.StoredEvent fourth = events.get(3);
        shownChanged.set(3, new ChainVerifier.StoredEvent(3, fourth.payloadType(),
                ((ObjectNode) fourth.payload()).deepCopy().put("amount", "999.00"), fourth.metadata()));
        assertThat(ChainVerifier.verify("b", shownChanged).firstBadSequence()).isEqualTo(3L);

        Map<String, Object> otherHash = new HashMap<>(events.get(2).metadata());
        otherHash.put(AuditMetadata.HASH, "a".repeat(64));
        List<ChainVerifier.StoredEvent> rehashed = new ArrayList<>(events);
        rehashed.set(2, redacted(events.get(2), otherHash));
        ChainVerifier.Verdict broken = ChainVerifier.verify("b", rehashed);
        assertThat(broken.firstBadSequence()).isEqualTo(3L);
        assertThat(broken.reason()).contains("previous hash");

        Map<String, Object> noHash = new HashMap<>(events.get(2).metadata());
        noHash.remove(AuditMetadata.HASH);
        List<ChainVerifier.StoredEvent> unlinked = new ArrayList<>(events);
        unlinked.set(2, redacted(events.get(2), noHash));
        assertThat(ChainVerifier.verify("b", unlinked).firstBadSequence()).isEqualTo(2L);

        Map<String, Object> wrongLink = new HashMap<>(events.get(2).metadata());
        wrongLink.put(AuditMetadata.PREVIOUS_HASH, "b".repeat(64));
        List<ChainVerifier.StoredEvent> relinked = new ArrayList<>(events);
        relinked.set(2, redacted(events.get(2), wrongLink));
        assertThat(ChainVerifier.verify("b", relinked).firstBadSequence()).isEqualTo(2L);
    }

    private static ChainVerifier.StoredEvent redacted(ChainVerifier.StoredEvent event, Map<String, ?> metadata) {
        return new ChainVerifier.StoredEvent(event.sequence(), event.payloadType(), ChainVerifier.REDACTED, metadata);
    }

    private static List<ChainVerifier.StoredEvent> chain(int length) {
        List<ChainVerifier.StoredEvent> events = new ArrayList<>();
        String previous = HashChain.GENESIS;
        for (int i = 0; i < length; i++) {
            JsonNode payload = JSON.createObjectNode().put("bondId", "b").put("amount", i + ".00");
            Map<String, Object> meta = new HashMap<>(Map.of(AuditMetadata.ACTOR, "arranger",
                    AuditMetadata.OCCURRED_AT, "2026-01-0" + (i + 1) + "T00:00:00Z", AuditMetadata.PREVIOUS_HASH, previous));
            String hash = HashChain.hash(previous, "b", i, "T", payload, meta);
            meta.put(AuditMetadata.HASH, hash);
            events.add(new ChainVerifier.StoredEvent(i, "T", payload, meta));
            previous = hash;
        }
        return events;
    }
}
