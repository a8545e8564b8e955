package org.sibledger.api.integrity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.Pages;
import org.sibledger.api.support.Terms;
import org.sibledger.core.integrity.ChainVerifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.support.TopicReader;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.integrity.Checkpoint;
import org.sibledger.core.integrity.HashChain;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored event altered or removed directly in PostgreSQL is found by recomputing the bond's hash chain; one removed
 * from the end, or altered with every later hash recomputed, by comparing the chain with the ledger's signed
 * checkpoints, in the ledger and offline ({@code verify}) on an export and a checkpoint kept by a party.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): its node has a database and a Kafka broker
 * of its own ({@link org.sibledger.api.support.LedgerNodeExtension}), and it asserts nothing of the shared servers.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("TamperEvidenceTest")
class TamperEvidenceTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    @Test
    void anUntouchedBondIsIntact() {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("untouched")).status()).isEqualTo(201);
        node.api("arranger").await("/api/bonds/untouched", r -> r.status() == 200);
        ChainVerifier.Verdict verdict = node.bean(IntegrityCheck.class).verify("untouched");
        assertThat(verdict.intact()).as(String.valueOf(verdict)).isTrue();
        assertThat(verdict.eventsChecked()).isEqualTo(1);
        var answer = node.api("arranger").get("/api/bonds/untouched/integrity").json();
        assertThat(answer.get("intact").asBoolean()).isTrue();
        var history = node.api("arranger").get("/api/bonds/untouched/history").json();
        assertThat(history.at("/items/0/type").asText()).isEqualTo("BondStructured");
        assertThat(history.at("/items/0/actor").asText()).isEqualTo("arranger");
        assertThat(history.at("/items/0/hash").asText()).isEqualTo(answer.get("headHash").asText());
        assertThat(node.api("investor2").get("/api/bonds/untouched/integrity").status()).isEqualTo(404);
    }

    @Test
    void aPriceChangedInTheDatabaseIsReportedAtItsEvent() {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("tampered")).status()).isEqualTo(201);
        node.api("arranger").await("/api/bonds/tampered", r -> r.status() == 200);
        int changed = node.sql().update("""
                UPDATE domainevententry
                SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"2750.00"', '"2760.00"'), 'UTF8')
                WHERE aggregateidentifier = 'tampered' AND sequencenumber = 0""");
        assertThat(changed).isEqualTo(1);
        ChainVerifier.Verdict verdict = node.bean(IntegrityCheck.class).verify("tampered");
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isZero();
        assertThat(verdict.reason()).contains("content does not match");
        var answer = node.api("arranger").get("/api/bonds/tampered/integrity").json();
        assertThat(answer.get("intact").asBoolean()).isFalse();
        assertThat(answer.get("firstBadSequence").asLong()).isZero();
    }

    @Test
    void aChangedActorIsReported() {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("reattributed")).status()).isEqualTo(201);
        node.sql().update("""
                UPDATE domainevententry
                SET metadata = convert_to(replace(convert_from(metadata, 'UTF8'), '"arranger"', '"mallory"'), 'UTF8')
                WHERE aggregateidentifier = 'reattributed'""");
        assertThat(node.bean(IntegrityCheck.class).verify("reattributed").intact()).isFalse();
    }

    @Test
    void anEventAlteredInTheMiddleOfALongStreamIsNamed() {
        String b = "/api/bonds/long-tampered";
        Bonds.openWithCohort(node::api, "long-tampered", 100);
        for (int i = 0; i < 30; i++) {
            Bonds.enrol(node::api, "long-tampered", List.of("p-" + i)); // one event each
        }
        long events = node.sql().queryForObject(
                "SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'long-tampered'", Long.class);
        // p-17 is enrolled by the event at sequence 4 + 17 = 21: it now names someone else
        int changed = node.sql().update("""
                UPDATE domainevententry
                SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"p-17"', '"p-71"'), 'UTF8')
                WHERE aggregateidentifier = 'long-tampered' AND sequencenumber = 21""");
        assertThat(changed).isEqualTo(1);
        var answer = node.api("arranger").get(b + "/integrity").json();
        assertThat(answer.get("intact").asBoolean()).isFalse();
        assertThat(answer.get("firstBadSequence").asLong()).as(answer.toString()).isEqualTo(21);
        org.sibledger.api.support.ReliabilityReport.add("A stored event altered in the database",
                "one participant reference changed in SQL in event 21 of a " + events + "-event bond (also: a price "
                        + "at event 0, an actor)",
                "nothing hidden: the integrity check names event 21 as the first bad one");
    }

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    @TempDir
    Path files;

    @Test
    void aDeletedLastEventIsFoundWithTheCheckpoint() {
        String bond = "cut-short";
        Bonds.openWithCohort(node::api, bond, 100);
        Bonds.enrol(node::api, bond, List.of("p-1"));
        long last = head(bond);
        awaitCheckpoint(bond, last);
        assertThat(node.bean(IntegrityCheck.class).verify(bond).intact()).isTrue();

        int deleted = node.sql().update("DELETE FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = ?",
                bond, last);
        assertThat(deleted).isEqualTo(1);
        IntegrityCheck integrity = node.bean(IntegrityCheck.class);
        assertThat(ChainVerifier.verify(bond, integrity.events(bond)).intact())
                .as("without the checkpoint the shorter chain holds").isTrue();
        ChainVerifier.Verdict verdict = integrity.verify(bond);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).isEqualTo(last);
        assertThat(verdict.reason()).contains("event " + last + " is missing");
        var answer = node.api("arranger").get("/api/bonds/" + bond + "/integrity").json();
        assertThat(answer.get("intact").asBoolean()).isFalse();
        assertThat(answer.get("firstBadSequence").asLong()).isEqualTo(last);
        assertThat(answer.get("checkpointSequence").asLong()).isEqualTo(last);
    }

    @Test
    void aPartyChecksTheBondAgainstItsKeptCheckpointOnTheBondsPageAlsoWhenTheStoredOnesWentWithTheEvent()
            throws Exception {
        String bond = "kept-on-page";
        Bonds.openWithCohort(node::api, bond, 100);
        Bonds.enrol(node::api, bond, List.of("p-1"));
        long last = head(bond);
        awaitCheckpoint(bond, last);
        String kept = node.api("investor").get("/api/bonds/" + bond + "/checkpoints").json().at("/items/0").toString();
        String page = "/app/bonds/" + bond;
        String check = page + "/verify";

        String matches = keptCheck("investor", page, check, kept);
        assertThat(verdictOf(matches)).contains("notice", "match your checkpoint of sequence " + last);

        // the last event is deleted, and the stored checkpoints with it: the ledger's own check sees nothing wrong
        node.sql().update("DELETE FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = ?", bond, last);
        node.sql().update("DELETE FROM ledger_checkpoint WHERE bond_id = ?", bond);
        assertThat(node.bean(IntegrityCheck.class).verify(bond).intact()).isTrue();
        // but the party's kept checkpoint does, in either language
        String cut = keptCheck("investor", page, check, kept);
        assertThat(verdictOf(cut)).contains("problem", "the first bad sequence is " + last, "event " + last + " is missing");
        assertThat(verdictOf(keptCheck("investor", page + "?lang=he", check + "?lang=he", kept)))
                .contains("problem", "הרצף הפגום הראשון הוא \u2068" + last + "\u2069");
        // the payer, another party of the bond, may check too; someone who is no party of it may not
        assertThat(verdictOf(keptCheck("payer", page, check, kept))).contains("the first bad sequence is " + last);
        assertThat(Pages.post(node.node().baseUrl(), "investor2", "/app/bonds", check, Map.of("checkpoint", kept))
                .statusCode()).isIn(403, 404);

        // what is not a checkpoint of this bond signed by this ledger is refused at the field, and compares nothing
        assertThat(fieldError(keptCheck("investor", page, check, " "))).contains("Paste a checkpoint you kept");
        assertThat(fieldError(keptCheck("investor", page, check, "{\"bondId\": \"" + bond + "\"}")))
                .contains("not a checkpoint");
        assertThat(fieldError(keptCheck("investor", page, check, kept.replace("\"" + bond + "\"", "\"other-bond\""))))
                .contains("of bond other-bond");
        String moved = ((ObjectNode) JSON.readTree(kept)).put("sequence", last - 1).toString();
        assertThat(fieldError(keptCheck("investor", page, check, moved))).contains("is not signed by this ledger");
        assertThat(fieldError(keptCheck("investor", page + "?lang=he", check + "?lang=he", moved)))
                .contains("אינה חתומה במפתח של מערכת זו");
    }

    private String keptCheck(String user, String page, String check, String kept) throws Exception {
        var answer = Pages.post(node.node().baseUrl(), user, page, check, Map.of("checkpoint", kept));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    /** The kept checkpoint's verdict on the bond's page: its paragraph, class and text. */
    private static String verdictOf(String page) {
        java.util.regex.Matcher verdict = java.util.regex.Pattern.compile(
                "<p class=\"(\\w+)\" data-testid=\"kept-verdict\"[^>]*>([^<]*)</p>").matcher(page);
        assertThat(verdict.find()).as("a verdict on the page").isTrue();
        assertThat(page).doesNotContain("id=\"kept-checkpoint-error\"");
        return verdict.group(1) + " " + verdict.group(2).replace("&#39;", "'");
    }

    /** The problem shown at the kept checkpoint's field, with no verdict. */
    private static String fieldError(String page) {
        java.util.regex.Matcher error = java.util.regex.Pattern.compile(
                "id=\"kept-checkpoint-error\"[^>]*>([^<]*)</p>").matcher(page);
        assertThat(error.find()).as("a problem at the field").isTrue();
        assertThat(page).doesNotContain("data-testid=\"kept-verdict\"").contains("aria-invalid=\"true\"");
        return error.group(1).replace("&#39;", "'");
    }

    @Test
    void aRewrittenEventWithEveryLaterHashRecomputedIsNamed() throws Exception {
        String bond = "rewritten";
        Bonds.openWithCohort(node::api, bond, 100);
        for (int i = 0; i < 6; i++) {
            Bonds.enrol(node::api, bond, List.of("p-" + i));
            awaitCheckpoint(bond, head(bond)); // a party keeps each checkpoint, as a consumer of the topic would
        }
        String kept = node.api("investor").get("/api/bonds/" + bond + "/checkpoints?size=500").body();
        long last = head(bond);
        long rewrittenAt = node.sql().queryForObject("""
                SELECT sequencenumber FROM domainevententry WHERE aggregateidentifier = ?
                AND convert_from(payload, 'UTF8') LIKE '%"p-2"%'""", Long.class, bond);
        assertThat(rewrittenAt).isLessThan(last - 1);

        rewriteWithRecomputedHashes(bond, rewrittenAt, "\"p-2\"", "\"p-22\"");

        IntegrityCheck integrity = node.bean(IntegrityCheck.class);
        assertThat(ChainVerifier.verify(bond, integrity.events(bond)).intact())
                .as("without the checkpoints the recomputed chain holds").isTrue();
        ChainVerifier.Verdict verdict = integrity.verify(bond);
        assertThat(verdict.intact()).isFalse();
        assertThat(verdict.firstBadSequence()).as(verdict.reason()).isEqualTo(rewrittenAt);
        var answer = node.api("arranger").get("/api/bonds/" + bond + "/integrity").json();
        assertThat(answer.get("firstBadSequence").asLong()).isEqualTo(rewrittenAt);

        // a party that kept the checkpoints finds the same offline, on the export the operator now serves
        Path export = write("rewritten-events.json", node.api("investor").get("/api/bonds/" + bond + "/export").body());
        Output result = verify(write("rewritten-checkpoints.json", kept), export);
        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(result.out()).contains("first bad sequence " + rewrittenAt);
        // with only the newest checkpoint kept, the rewrite is still found (the whole history is unproven)
        Path newest = write("rewritten-newest.json", JSON.readTree(kept).at("/items/0").toString());
        Output withNewest = verify(newest, export);
        assertThat(withNewest.exitCode()).as(withNewest.out()).isEqualTo(1);
        assertThat(withNewest.out()).contains("do not match the checkpoint", "for sequence " + last);
        org.sibledger.api.support.ReliabilityReport.add("History shortened or rewritten in the database",
                "the last event of a bond deleted in SQL; an event rewritten in SQL with every later hash recomputed",
                "both found by the signed checkpoints (the chain alone holds): the integrity check and the offline "
                        + "verifier name the missing event and the rewritten event " + rewrittenAt);
    }

    @Test
    void theOfflineVerifierAcceptsAnUntouchedExportAndNamesTheFirstBadSequenceOfATamperedOne() throws Exception {
        String bond = "exported";
        Bonds.openWithCohort(node::api, bond, 100);
        for (int i = 0; i < 4; i++) {
            Bonds.enrol(node::api, bond, List.of("p-" + i));
            awaitCheckpoint(bond, head(bond));
        }
        long last = head(bond);
        Path key = write("key.json", node.api("investor").get("/api/ledger/public-key").body());
        Path checkpoints = write("checkpoints.json", node.api("investor").get("/api/bonds/" + bond + "/checkpoints?size=500").body());
        JsonNode newest = JSON.readTree(checkpoints.toFile()).at("/items/0");
        Path checkpoint = write("checkpoint.json", newest.toString());
        // the arranger's export holds every event in full; an investor's is redacted as its history (below)
        String exported = node.api("arranger").get("/api/bonds/" + bond + "/export").body();
        Path events = write("events.json", exported);

        Output ok = verify(checkpoint, events, key);
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("OK: bond " + bond + ", " + (last + 1) + " events");
        assertThat(verify(checkpoints, events, key).exitCode()).isZero();
        // the PEM on its own serves as well
        Path pem = write("key.pem", JSON.readTree(key.toFile()).get("pem").asText());
        assertThat(verify(checkpoint, events, pem).exitCode()).isZero();

        // the investor's export (issue 16): the participants' enrolments are not its to see, so they come redacted;
        // it still verifies, following them on their hash, and a change to what it is shown is still found
        String investors = node.api("investor").get("/api/bonds/" + bond + "/export").body();
        assertThat(investors).doesNotContain("\"p-1\"", "\"p-2\"").contains("\"redacted\":true", "1000.00");
        Output followed = verify(checkpoint, write("investors-events.json", investors), key);
        assertThat(followed.exitCode()).as(followed.out() + followed.err()).isZero();
        assertThat(followed.out()).contains("OK: bond " + bond + ", " + (last + 1) + " events (4 redacted for this reader");
        String ownChanged = investors.replace("\"1000.00\"", "\"1.00\"");
        assertThat(ownChanged).isNotEqualTo(investors);
        Output caught = verify(checkpoint, write("investors-changed.json", ownChanged), key);
        assertThat(caught.exitCode()).as(caught.out()).isEqualTo(1);
        assertThat(caught.out()).contains("content does not match its hash");

        // the last event left out of the export
        ObjectNode shortened = (ObjectNode) JSON.readTree(exported);
        ((com.fasterxml.jackson.databind.node.ArrayNode) shortened.get("events")).remove((int) last);
        Output cut = verify(checkpoint, write("shortened.json", shortened.toString()), key);
        assertThat(cut.exitCode()).isEqualTo(1);
        assertThat(cut.out()).contains("FAILED", "first bad sequence " + last, "missing");

        // an event's payload changed in the export, hashes left as they were
        String changed = exported.replace("\"p-1\"", "\"p-11\"");
        assertThat(changed).isNotEqualTo(exported);
        long p1 = sequenceOf(JSON.readTree(exported), "p-1");
        Output content = verify(checkpoint, write("changed.json", changed), key);
        assertThat(content.exitCode()).isEqualTo(1);
        assertThat(content.out()).contains("first bad sequence " + p1, "content does not match its hash");

        // the same change with every later hash recomputed: found at that event with the checkpoints kept
        ObjectNode recomputed = (ObjectNode) JSON.readTree(changed);
        String previous = HashChain.GENESIS;
        for (JsonNode item : recomputed.get("events")) {
            ObjectNode event = (ObjectNode) item;
            event.put(AuditMetadata.PREVIOUS_HASH, previous);
            Map<String, Object> audit = JSON.convertValue(event, new com.fasterxml.jackson.core.type.TypeReference<>() {
            });
            previous = HashChain.hash(previous, bond, event.get("sequence").asLong(), event.get("type").asText(),
                    event.get("payload"), audit);
            event.put(AuditMetadata.HASH, previous);
        }
        Path forged = write("recomputed.json", recomputed.toString());
        Output rewritten = verify(checkpoints, forged, key);
        assertThat(rewritten.exitCode()).as(rewritten.out()).isEqualTo(1);
        assertThat(rewritten.out()).contains("first bad sequence " + p1);

        // a checkpoint with one field changed is not the ledger's
        ObjectNode altered = newest.deepCopy();
        altered.put("headHash", previous);
        Output notSigned = verify(write("altered.json", altered.toString()), forged, key);
        assertThat(notSigned.exitCode()).isEqualTo(1);
        assertThat(notSigned.out()).contains("not signed by this key");
        // nothing usable given: usage, exit code 2
        assertThat(verify(checkpoint, write("not-json.json", "no"), key).exitCode()).isEqualTo(2);
    }

    @Test
    void theChainOfABondVerifiesFromADumpOfTheEventsTopicAlone() throws Exception {
        String bond = "streamed";
        Bonds.openWithCohort(node::api, bond, 100);
        Bonds.enrol(node::api, bond, List.of("p-1", "p-2"));
        long last = head(bond);
        awaitCheckpoint(bond, last);
        Path key = write("stream-key.json", node.api("investor").get("/api/ledger/public-key").body());
        Path checkpoint = write("stream-checkpoint.json",
                node.api("investor").get("/api/bonds/" + bond + "/checkpoints").json().at("/items/0").toString());
        List<String> envelopes = TopicReader.readBond(node.bootstrapServers(), bond, last + 1,
                java.time.Duration.ofSeconds(20)).stream().map(r -> r.value()).toList();
        // one envelope a line, as kcat prints the topic, with a redelivery and another bond's event among them
        List<String> lines = new java.util.ArrayList<>(envelopes);
        lines.add(1, envelopes.get(0));
        String dump = String.join("\n", lines) + "\n";
        Output ok = verify(checkpoint, write("stream.jsonl", dump), key);
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("OK: bond " + bond + ", " + (last + 1) + " events");
        // the same as a JSON array
        assertThat(verify(checkpoint, write("stream.json", "[" + String.join(",", envelopes) + "]"), key).exitCode()).isZero();

        // a payload changed in the dump is found at its event
        String changed = dump.replace("\"p-2\"", "\"p-22\"");
        assertThat(changed).isNotEqualTo(dump);
        Output tampered = verify(checkpoint, write("stream-changed.jsonl", changed), key);
        assertThat(tampered.exitCode()).as(tampered.out()).isEqualTo(1);
        assertThat(tampered.out()).contains("FAILED", "content does not match its hash");
        // the envelope carries the type name as hashed, which the outbound schema requires
        assertThat(JSON.readTree(envelopes.get(0)).get("payloadType").asText()).endsWith("BondStructuredEvent");
    }

    /**
     * The history served over REST carries each event's moment as the text its hash covers (to the nanosecond, where a
     * TIMESTAMPTZ keeps microseconds) and the type name as hashed, so a client recomputes the chain from it alone.
     */
    @Test
    void theChainOfABondVerifiesFromItsRestHistoryAlone() throws Exception {
        String bond = "from-rest";
        Bonds.openWithCohort(node::api, bond, 100);
        for (int i = 0; i < 3; i++) {
            Bonds.enrol(node::api, bond, List.of("p-" + i));
        }
        long last = head(bond);
        node.api("arranger").await("/api/bonds/" + bond + "/history?from=" + last,
                r -> r.status() == 200 && r.json().at("/items/0/sequence").asLong(-1) == last);
        List<JsonNode> items = new ArrayList<>(); // read in pages of 2, as a client follows "next"
        Long from = 0L;
        while (from != null) {
            JsonNode page = node.api("arranger").get("/api/bonds/" + bond + "/history?size=2&from=" + from).json();
            page.get("items").forEach(items::add);
            from = page.hasNonNull("next") ? page.get("next").asLong() : null;
        }
        assertThat(items).hasSize((int) last + 1);
        List<ChainVerifier.StoredEvent> events = new ArrayList<>();
        for (JsonNode item : items) {
            assertThat(item.has("redacted")).as("the arranger sees every event as stored").isFalse();
            Map<String, Object> metadata = new java.util.HashMap<>();
            for (String field : List.of(AuditMetadata.ACTOR, AuditMetadata.ON_BEHALF_OF, AuditMetadata.OCCURRED_AT,
                    AuditMetadata.IDEMPOTENCY_KEY, AuditMetadata.PREVIOUS_HASH, AuditMetadata.HASH)) {
                if (item.hasNonNull(field)) {
                    metadata.put(field, item.get(field).asText());
                }
            }
            events.add(new ChainVerifier.StoredEvent(item.get("sequence").asLong(), item.get("payloadType").asText(),
                    item.get("payload"), metadata));
        }
        ChainVerifier.Verdict verdict = ChainVerifier.verify(bond, events);
        assertThat(verdict.intact()).as(String.valueOf(verdict)).isTrue();
        assertThat(verdict.eventsChecked()).isEqualTo((int) last + 1);
        assertThat(verdict.headHash()).isEqualTo(node.api("arranger").get("/api/bonds/" + bond + "/integrity").json()
                .get("headHash").asText());
        // each moment is the very text in the event store's metadata, not one rounded to what PostgreSQL keeps
        List<String> stored = node.sql().queryForList("""
                SELECT convert_from(metadata, 'UTF8')::jsonb ->> 'occurredAt' FROM domainevententry
                WHERE aggregateidentifier = ? ORDER BY sequencenumber""", String.class, bond);
        assertThat(items).extracting(item -> item.get("occurredAt").asText()).containsExactlyElementsOf(stored);
    }

    @Test
    void checkpointsAreSignedWithThePublishedKeyPublishedOnTheTopicAndStillVerifyAfterARestart() throws Exception {
        String bond = "signed-head";
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard(bond)).status()).isEqualTo(201);
        awaitCheckpoint(bond, 0);
        var key = node.api("payer").get("/api/ledger/public-key").json();
        assertThat(key.get("algorithm").asText()).isEqualTo("Ed25519");
        var publicKey = SigningKey.publicKeyFrom(key.get("publicKey").asText());
        JsonNode served = node.api("arranger").get("/api/bonds/" + bond + "/checkpoints").json();
        Checkpoint checkpoint = JSON.treeToValue(served.at("/items/0"), Checkpoint.class);
        assertThat(checkpoint.keyId()).isEqualTo(key.get("keyId").asText()).isEqualTo(served.get("keyId").asText());
        assertThat(checkpoint.headHash()).isEqualTo(node.api("arranger").get("/api/bonds/" + bond + "/integrity").json()
                .get("headHash").asText());
        assertThat(checkpoint.verifies(publicKey)).isTrue();
        assertThat(new Checkpoint(bond, 1, checkpoint.headHash(), checkpoint.signedAt(), checkpoint.keyId(),
                checkpoint.signature()).verifies(publicKey)).isFalse();
        assertThat(node.api("investor2").get("/api/bonds/" + bond + "/checkpoints").status()).isEqualTo(404);
        assertThat(node.api("investor2").get("/api/bonds/" + bond + "/export").status()).isEqualTo(404);

        var published = TopicReader.readUntil(node.bootstrapServers(), "sib.ledger.checkpoints.v1",
                records -> records.stream().anyMatch(r -> bond.equals(r.key())), java.time.Duration.ofSeconds(10));
        JsonNode onTheTopic = JSON.readTree(published.stream().filter(r -> bond.equals(r.key())).findFirst()
                .orElseThrow().value());
        assertThat(JSON.treeToValue(onTheTopic, Checkpoint.class).verifies(publicKey)).isTrue();
        var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(TamperEvidenceTest.class.getResourceAsStream("/schemas/ledger-checkpoint.schema.json"));
        assertThat(schema.validate(onTheTopic)).as(onTheTopic.toString()).isEmpty();
        assertThat(schema.validate(served.at("/items/0"))).isEmpty();

        node.restart();
        assertThat(node.api("payer").get("/api/ledger/public-key").json().get("publicKey").asText())
                .as("the key file is reused").isEqualTo(key.get("publicKey").asText());
        var answer = node.api("arranger").get("/api/bonds/" + bond + "/integrity").json();
        assertThat(answer.get("intact").asBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.get("checkpointSequence").asLong()).isZero();
    }

    private long head(String bond) {
        return node.sql().queryForObject("SELECT max(sequencenumber) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, bond);
    }

    private void awaitCheckpoint(String bond, long sequence) {
        var answer = node.api("arranger").await("/api/bonds/" + bond + "/checkpoints",
                r -> r.status() == 200 && r.json().at("/items/0/sequence").asLong(-1) == sequence);
        assertThat(answer.json().at("/items/0/sequence").asLong(-1)).as(answer.toString()).isEqualTo(sequence);
    }

    /**
     * What an intruder with the database's password does to hide a change: the event's payload is rewritten, and
     * every hash from it on is recomputed and stored in the events' metadata, so the chain holds again.
     */
    private void rewriteWithRecomputedHashes(String bond, long from, String find, String replace) throws Exception {
        int changed = node.sql().update("""
                UPDATE domainevententry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), ?, ?), 'UTF8')
                WHERE aggregateidentifier = ? AND sequencenumber = ?""", find, replace, bond, from);
        assertThat(changed).isEqualTo(1);
        List<Map<String, Object>> rows = node.sql().queryForList("""
                SELECT sequencenumber, payloadtype, payload, metadata FROM domainevententry
                WHERE aggregateidentifier = ? AND sequencenumber >= ? ORDER BY sequencenumber""", bond, from - 1);
        String previous = null;
        for (Map<String, Object> row : rows) {
            long sequence = ((Number) row.get("sequencenumber")).longValue();
            ObjectNode metadata = (ObjectNode) JSON.readTree((byte[]) row.get("metadata"));
            if (previous == null) {
                previous = metadata.get(AuditMetadata.HASH).asText(); // the event before the rewritten one
                continue;
            }
            metadata.put(AuditMetadata.PREVIOUS_HASH, previous);
            Map<String, Object> audit = JSON.convertValue(metadata, new com.fasterxml.jackson.core.type.TypeReference<>() {
            });
            previous = HashChain.hash(previous, bond, sequence, (String) row.get("payloadtype"),
                    JSON.readTree((byte[]) row.get("payload")), audit);
            metadata.put(AuditMetadata.HASH, previous);
            node.sql().update("UPDATE domainevententry SET metadata = ? WHERE aggregateidentifier = ? AND sequencenumber = ?",
                    JSON.writeValueAsBytes(metadata), bond, sequence);
        }
    }

    private static long sequenceOf(JsonNode export, String participant) {
        List<Long> found = new ArrayList<>();
        export.get("events").forEach(e -> {
            if (e.get("payload").toString().contains("\"" + participant + "\"")) {
                found.add(e.get("sequence").asLong());
            }
        });
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(files.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Output verify(Path checkpoint, Path events) throws Exception {
        return verify(checkpoint, events, write("ledger-key.json", node.api("investor").get("/api/ledger/public-key").body()));
    }

    private static Output verify(Path checkpoint, Path events, Path key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OfflineVerifier.run(new String[] {"verify", "--checkpoint", checkpoint.toString(), "--events",
                events.toString(), "--public-key", key.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Output(int exitCode, String out, String err) {
    }
}
