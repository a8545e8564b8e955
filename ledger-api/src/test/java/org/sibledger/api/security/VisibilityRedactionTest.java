package org.sibledger.api.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sibledger.api.security.Visibility.PartyKind;
import org.sibledger.api.security.Visibility.Read;
import org.sibledger.api.security.Visibility.Sees;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.history.HistoryEntry;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history redaction rules entry by entry, for the events VisibilityTableTest's bond does not produce (an increase,
 * a withdrawal, a guarantee call, a cancelled payout, a cohort result) and for readers holding several kinds.
 */
class VisibilityRedactionTest {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private final Visibility visibility = new Visibility(null, null, null);

    @Test
    void anotherInvestorsIncreaseAndWithdrawalAreRedactedLinks() {
        for (String type : new String[] {"CommitmentIncreased", "CommitmentWithdrawn"}) {
            HistoryEntry entry = entry(type, "investor", """
                    {"bondId": "b", "investorId": "investor", "tranche": "senior", "amount": "500.00"}""");
            HistoryEntry shown = visibility.redact(viewer("investor2", PartyKind.INVESTOR), entry, null);
            assertThat(shown.redacted()).isTrue();
            assertThat(shown.payload().isEmpty()).isTrue();
            assertThat(shown.actor()).isNull();
            assertThat(shown.idempotencyKey()).isNull();
            assertThat(shown.hash()).isEqualTo(entry.hash());
            assertThat(shown.previousHash()).isEqualTo(entry.previousHash());
            assertThat(shown.sequence()).isEqualTo(entry.sequence());
            assertThat(shown.type()).isEqualTo(type);
            assertThat(visibility.redact(viewer("investor", PartyKind.INVESTOR), entry, null)).isSameAs(entry);
            assertThat(visibility.redact(viewer("payer", PartyKind.OUTCOME_PAYER), entry, null).redacted()).isTrue();
            assertThat(visibility.redact(viewer("arranger", PartyKind.ARRANGER), entry, null)).isSameAs(entry);
        }
    }

    @Test
    void aGuaranteeCallKeepsOnlyTheReadersOwnPaymentsAndTheTotals() {
        HistoryEntry entry = entry("GuaranteeCalled", "arranger", """
                {"bondId": "b", "date": "2026-01-01", "shortfall": "900.00", "uncovered": "100.00", "payments": [
                  {"guarantorId": "guarantor", "guaranteeTranche": "g", "investorId": "investor", "tranche": "senior", "amount": "600.00", "rule": "r"},
                  {"guarantorId": "guarantor", "guaranteeTranche": "g", "investorId": "investor2", "tranche": "senior", "amount": "200.00", "rule": "r"}]}""");
        HistoryEntry shown = visibility.redact(viewer("investor2", PartyKind.INVESTOR), entry, null);
        assertThat(shown.redacted()).isTrue();
        assertThat(shown.actor()).isEqualTo("arranger");
        assertThat(shown.payload().get("payments").findValuesAsText("investorId")).containsExactly("investor2");
        assertThat(shown.payload().get("shortfall").asText()).isEqualTo("900.00");
        assertThat(visibility.redact(viewer("guarantor", PartyKind.INVESTOR), entry, null)).isSameAs(entry);
        assertThat(visibility.redact(viewer("provider", PartyKind.SERVICE_PROVIDER), entry, null).payload().get("payments"))
                .isEmpty();
    }

    @Test
    void aCancelledPayoutIsShownToPartiesThatAreNoPayer() {
        HistoryEntry entry = entry("PayoutCancelled", "payer", """
                {"bondId": "b", "payoutId": "po-1", "reason": "dispute upheld"}""");
        for (PartyKind kind : new PartyKind[] {PartyKind.INVESTOR, PartyKind.EVALUATOR, PartyKind.SERVICE_PROVIDER,
                PartyKind.REVIEWER, PartyKind.ARRANGER}) {
            assertThat(visibility.redact(viewer("someone", kind), entry, null)).as(kind.toString()).isSameAs(entry);
        }
    }

    @Test
    void aCohortResultHasNoParticipantLevelClaimsAndIsShownToAll() {
        HistoryEntry entry = entry("MeasurementSubmitted", "evaluator", """
                {"bondId": "b", "measurementId": "m-1", "evaluatorId": "evaluator", "evidenceRef": "report",
                 "measurement": {"type": "COHORT_RESULT", "cohortId": "c1", "metric": "reconvictions", "period": "2019",
                 "treated": "142", "comparison": "155"}}""");
        assertThat(visibility.redact(viewer("investor", PartyKind.INVESTOR), entry, null)).isSameAs(entry);
        assertThat(visibility.redact(viewer("provider", PartyKind.SERVICE_PROVIDER), entry, null)).isSameAs(entry);
    }

    @Test
    void anEvaluatorSeesItsOwnClaimsNotAnotherEvaluators() {
        HistoryEntry entry = entry("MeasurementSubmitted", "evaluator-b", """
                {"bondId": "b", "measurementId": "m-1", "evaluatorId": "evaluator-b", "evidenceRef": "batch",
                 "measurement": {"type": "OUTCOME_CLAIMS", "claims": [{"participantRef": "p-1", "metric": "earns-768",
                 "achievedOn": "2019-06-01", "evidenceRef": "e-1"}]}}""");
        HistoryEntry other = visibility.redact(viewer("evaluator", PartyKind.EVALUATOR), entry, null);
        assertThat(other.redacted()).isTrue();
        assertThat(other.payload().findValues("participantRef")).isEmpty();
        assertThat(other.payload().has("evidenceRef")).isFalse();
        assertThat(other.payload().at("/measurement/claimCount").asInt()).isEqualTo(1);
        assertThat(visibility.redact(viewer("evaluator-b", PartyKind.EVALUATOR), entry, null)).isSameAs(entry);
        assertThat(visibility.redact(viewer("reviewer", PartyKind.REVIEWER), entry, null)).isSameAs(entry);
    }

    /** A principal of several kinds sees what any of them sees. */
    @Test
    void aReaderOfSeveralKindsSeesTheMostOfThem() {
        Visibility.Viewer both = new Visibility.Viewer("p", EnumSet.of(PartyKind.INVESTOR, PartyKind.REVIEWER), null);
        assertThat(both.sees(Read.MEASUREMENTS)).isEqualTo(Sees.ALL);
        assertThat(both.sees(Read.PORTFOLIO)).isEqualTo(Sees.OWN);
        assertThat(new Visibility.Viewer("p", Set.of(), null).sees(Read.HISTORY)).isEqualTo(Sees.NONE);
    }

    @Test
    void aPayoutRuleLosesTheParticipantItNames() {
        assertThat(Visibility.withoutParticipant("rate card: earns-768 at GBP 2750.00 for participant p-1; payer pays share 0.6",
                "p-1")).isEqualTo("rate card: earns-768 at GBP 2750.00 for a participant; payer pays share 0.6");
        assertThat(Visibility.withoutParticipant("credit of GBP 500.00", null)).isEqualTo("credit of GBP 500.00");
    }

    private static Visibility.Viewer viewer(String id, PartyKind kind) {
        return new Visibility.Viewer(id, EnumSet.of(kind), null);
    }

    private static HistoryEntry entry(String type, String actor, String payload) {
        try {
            JsonNode json = JSON.readTree(payload);
            return new HistoryEntry(7, "e-7", type, "org.sibledger.contracts.example." + type + "Event", "1",
                    "2026-01-05T10:00:00.123456789Z", actor, null, "key-7",
                    "b".repeat(64), "a".repeat(64), json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
