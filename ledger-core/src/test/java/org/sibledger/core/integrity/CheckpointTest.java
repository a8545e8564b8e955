package org.sibledger.core.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A checkpoint verifies with the key that signed it and with nothing changed; the chain is compared with it. */
class CheckpointTest {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final KeyPair KEYS = keys();
    private static final Instant AT = Instant.parse("2026-12-02T08:00:00.123456Z");

    @Test
    void aCheckpointVerifiesWithItsKeyAndFailsIfAnyFieldChanges() throws Exception {
        String head = "ab".repeat(32);
        Checkpoint signed = Checkpoint.sign("b-1", 7, head, AT, KEYS.getPrivate(), KEYS.getPublic());
        assertThat(signed.signedAt()).isEqualTo(Instant.parse("2026-12-02T08:00:00.123Z"));
        assertThat(signed.keyId()).hasSize(16).isEqualTo(Checkpoint.keyId(KEYS.getPublic()));
        assertThat(signed.verifies(KEYS.getPublic())).isTrue();
        // through JSON and back, as it is served and kept
        Checkpoint kept = JSON.readValue(JSON.writeValueAsString(signed), Checkpoint.class);
        assertThat(kept).isEqualTo(signed);
        assertThat(kept.verifies(KEYS.getPublic())).isTrue();

        assertThat(new Checkpoint("b-2", 7, head, signed.signedAt(), signed.keyId(), signed.signature())
                .verifies(KEYS.getPublic())).isFalse();
        assertThat(new Checkpoint("b-1", 6, head, signed.signedAt(), signed.keyId(), signed.signature())
                .verifies(KEYS.getPublic())).isFalse();
        assertThat(new Checkpoint("b-1", 7, "ac" + head.substring(2), signed.signedAt(), signed.keyId(),
                signed.signature()).verifies(KEYS.getPublic())).isFalse();
        assertThat(new Checkpoint("b-1", 7, head, signed.signedAt().plusMillis(1), signed.keyId(), signed.signature())
                .verifies(KEYS.getPublic())).isFalse();
        byte[] signature = Base64.getDecoder().decode(signed.signature());
        signature[10] ^= 1;
        assertThat(new Checkpoint("b-1", 7, head, signed.signedAt(), signed.keyId(),
                Base64.getEncoder().encodeToString(signature)).verifies(KEYS.getPublic())).isFalse();
        assertThat(new Checkpoint("b-1", 7, head, signed.signedAt(), signed.keyId(), "not base64!")
                .verifies(KEYS.getPublic())).isFalse();
        assertThat(signed.verifies(keys().getPublic())).as("another key").isFalse();
    }

    @Test
    void theSignedBytesAreTheDocumentedLines() {
        Checkpoint signed = Checkpoint.sign("b-1", 7, "0".repeat(64), AT, KEYS.getPrivate(), KEYS.getPublic());
        assertThat(new String(signed.signedContent(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("""
                sib-ledger-checkpoint/v1
                bondId=b-1
                sequence=7
                headHash=%s
                signedAt=2026-12-02T08:00:00.123Z
                """.formatted("0".repeat(64)));
    }

    @Test
    void anIntactChainMatchesItsCheckpoints() {
        List<ChainVerifier.StoredEvent> events = chain(5);
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events, List.of(checkpoint(events, 2), checkpoint(events, 4)));
        assertThat(verdict.intact()).as(String.valueOf(verdict)).isTrue();
        assertThat(verdict.checkpointSequence()).isEqualTo(4L);
        // events after the newest checkpoint are still checked by the chain
        assertThat(ChainVerifier.verify("b", events, List.of(checkpoint(events, 2))).intact()).isTrue();
    }

    @Test
    void aDeletedLastEventIsNamed() {
        List<ChainVerifier.StoredEvent> events = chain(5);
        List<Checkpoint> checkpoints = List.of(checkpoint(events, 4));
        assertThat(ChainVerifier.verify("b", events.subList(0, 4)).intact()).as("the chain alone").isTrue();
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events.subList(0, 4), checkpoints);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(4L);
        assertThat(verdict.reason()).contains("event 4 is missing");
        assertThat(ChainVerifier.verify("b", events.subList(0, 2), checkpoints).firstBadSequence()).isEqualTo(2L);
    }

    @Test
    void aRewrittenChainIsNamedAtTheFirstEventNoCheckpointStillVouchesFor() {
        List<ChainVerifier.StoredEvent> events = chain(6);
        List<Checkpoint> everyEvent = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            everyEvent.add(checkpoint(events, i));
        }
        List<ChainVerifier.StoredEvent> rewritten = rewriteFrom(events, 3);
        assertThat(ChainVerifier.verify("b", rewritten).intact()).as("the chain alone").isTrue();
        ChainVerifier.Verdict exact = ChainVerifier.verify("b", rewritten, everyEvent);
        assertThat(exact.intact()).isFalse();
        assertThat(exact.firstBadSequence()).isEqualTo(3L);
        assertThat(exact.reason()).contains("event 3 does not match");
        // with only the newest checkpoint and one at 1, events 2..5 are no longer proven: 2 is named
        ChainVerifier.Verdict range = ChainVerifier.verify("b", rewritten, List.of(everyEvent.get(5), everyEvent.get(1)));
        assertThat(range.firstBadSequence()).isEqualTo(2L);
        assertThat(range.reason()).contains("events 2 to 5 do not match");
    }

    @Test
    void aBreakOfTheChainBeforeTheCheckpointMismatchIsNamedFirst() {
        List<ChainVerifier.StoredEvent> events = new ArrayList<>(chain(5));
        events.remove(1);
        ChainVerifier.Verdict verdict = ChainVerifier.verify("b", events, List.of(checkpoint(chain(5), 4)));
        assertThat(verdict.firstBadSequence()).isEqualTo(1L);
        assertThat(verdict.reason()).contains("missing");
    }

    @Test
    void aCheckpointNotSignedByTheLedgerCountsForNothingAndFewSignaturesAreChecked() {
        List<ChainVerifier.StoredEvent> events = chain(200);
        List<Checkpoint> everyEvent = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            everyEvent.add(checkpoint(events, i));
        }
        java.util.concurrent.atomic.AtomicInteger checked = new java.util.concurrent.atomic.AtomicInteger();
        ChainVerifier.Verdict intact = ChainVerifier.verify("b", events, everyEvent,
                c -> checked.incrementAndGet() > 0 && c.verifies(KEYS.getPublic()));
        assertThat(intact.intact()).isTrue();
        assertThat(intact.checkpointSequence()).isEqualTo(199L);
        assertThat(checked.get()).as("signatures checked").isLessThanOrEqualTo(2);

        List<ChainVerifier.StoredEvent> rewritten = rewriteFrom(events, 150);
        checked.set(0);
        ChainVerifier.Verdict found = ChainVerifier.verify("b", rewritten, everyEvent,
                c -> checked.incrementAndGet() > 0 && c.verifies(KEYS.getPublic()));
        assertThat(found.firstBadSequence()).isEqualTo(150L);
        assertThat(checked.get()).as("signatures checked").isLessThanOrEqualTo(3);

        // a forged checkpoint claiming a longer history is not the ledger's: the events still verify
        Checkpoint real = everyEvent.get(199);
        Checkpoint forged = new Checkpoint("b", 250, real.headHash(), real.signedAt(), real.keyId(), real.signature());
        List<Checkpoint> withForged = new ArrayList<>(everyEvent);
        withForged.add(forged);
        ChainVerifier.Verdict notFooled = ChainVerifier.verify("b", events, withForged, c -> c.verifies(KEYS.getPublic()));
        assertThat(notFooled.intact()).as(String.valueOf(notFooled)).isTrue();
        assertThat(notFooled.checkpointSequence()).isEqualTo(199L);
        // and a deleted last event is still named when only the forged one is newer
        assertThat(ChainVerifier.verify("b", events.subList(0, 199), withForged, c -> c.verifies(KEYS.getPublic()))
                .firstBadSequence()).isEqualTo(199L);
    }

    private static Checkpoint checkpoint(List<ChainVerifier.StoredEvent> events, int sequence) {
        return Checkpoint.sign("b", sequence, (String) events.get(sequence).metadata().get(AuditMetadata.HASH), AT,
                KEYS.getPrivate(), KEYS.getPublic());
    }

    /** Event {@code from} names another amount, and every hash from it on is recomputed: a chain that holds. */
    private static List<ChainVerifier.StoredEvent> rewriteFrom(List<ChainVerifier.StoredEvent> events, int from) {
        List<ChainVerifier.StoredEvent> rewritten = new ArrayList<>(events.subList(0, from));
        String previous = (String) events.get(from - 1).metadata().get(AuditMetadata.HASH);
        for (int i = from; i < events.size(); i++) {
            ChainVerifier.StoredEvent event = events.get(i);
            Object payload = i == from ? ((ObjectNode) event.payload()).deepCopy().put("amount", "999.00") : event.payload();
            Map<String, Object> meta = new HashMap<>(event.metadata());
            meta.put(AuditMetadata.PREVIOUS_HASH, previous);
            String hash = HashChain.hash(previous, "b", i, event.payloadType(), payload, meta);
            meta.put(AuditMetadata.HASH, hash);
            rewritten.add(new ChainVerifier.StoredEvent(i, event.payloadType(), payload, meta));
            previous = hash;
        }
        return rewritten;
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

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
