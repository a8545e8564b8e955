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
