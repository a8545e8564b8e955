package org.sibledger.core.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HashChainTest {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final Map<String, Object> META = Map.of(AuditMetadata.ACTOR, "arranger",
            AuditMetadata.OCCURRED_AT, "2026-01-05T10:00:00Z");

    private final BondStructuredEvent event = new BondStructuredEvent("reboot-west",
            org.sibledger.core.bond.TestTerms.rateCard("reboot-west"));

    @Test
    void aRecordAndItsStoredJsonHashAlike() throws Exception {
        JsonNode stored = JSON.readTree(JSON.writeValueAsBytes(event));
        assertThat(HashChain.hash(HashChain.GENESIS, "reboot-west", 0, "T", stored, META))
                .isEqualTo(HashChain.hash(HashChain.GENESIS, "reboot-west", 0, "T", event, META));
    }

    @Test
    void anyChangeChangesTheHash() throws Exception {
        String base = HashChain.hash(HashChain.GENESIS, "reboot-west", 0, "T", event, META);
        assertThat(base).matches("[0-9a-f]{64}");
        assertThat(HashChain.hash("1".repeat(64), "reboot-west", 0, "T", event, META)).isNotEqualTo(base);
        assertThat(HashChain.hash(HashChain.GENESIS, "reboot-west", 1, "T", event, META)).isNotEqualTo(base);
        assertThat(HashChain.hash(HashChain.GENESIS, "reboot-west", 0, "U", event, META)).isNotEqualTo(base);
        assertThat(HashChain.hash(HashChain.GENESIS, "reboot-west", 0, "T", event,
                Map.of(AuditMetadata.ACTOR, "someone-else", AuditMetadata.OCCURRED_AT, "2026-01-05T10:00:00Z")))
                .isNotEqualTo(base);
        String tampered = JSON.writeValueAsString(event).replace("2750.00", "2750.01");
        assertThat(HashChain.hash(HashChain.GENESIS, "reboot-west", 0, "T", JSON.readTree(tampered), META))
                .isNotEqualTo(base);
    }

    @Test
    void metadataOutsideTheAuditKeysDoesNotCount() {
        Map<String, Object> withCorrelation = new java.util.HashMap<>(META);
        withCorrelation.put("traceId", "abc");
        assertThat(HashChain.hash(HashChain.GENESIS, "b", 0, "T", event, withCorrelation))
                .isEqualTo(HashChain.hash(HashChain.GENESIS, "b", 0, "T", event, META));
    }
}
