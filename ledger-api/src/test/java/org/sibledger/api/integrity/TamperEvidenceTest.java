package org.sibledger.api.integrity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.Terms;
import org.sibledger.core.integrity.ChainVerifier;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A stored event altered or removed directly in PostgreSQL is found by recomputing the bond's hash chain. */
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
}
