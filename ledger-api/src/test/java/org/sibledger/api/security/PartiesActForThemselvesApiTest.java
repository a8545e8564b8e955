package org.sibledger.api.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Pages;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through REST, as issue 16's hostile parties tried: one payer's decision books only its own share, unless the terms
 * name a lead payer; a dispute is resolved by the bond's reviewer, never by the payer who raised it; a variation
 * takes effect only with each affected party's own consent, and an arranger cannot type consent in for others.
 */
class PartiesActForThemselvesApiTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    @Test
    void eachPayerDecidesForItsOwnShareUnlessTheTermsNameALead() {
        String b = open("two-payers", false);
        String m = claim(b, "p-1");
        node.api("payer").post(b + "/measurements/" + m + "/decision", approve()).expect(200);
        assertThat(lines(b)).containsExactly("payer 50.00 TRIGGERED");
        node.api("payer2").post(b + "/measurements/" + m + "/decision", approve()).expect(200);
        assertThat(lines(b)).containsExactly("payer 50.00 TRIGGERED", "payer2 50.00 TRIGGERED");
        assertThat(node.api("payer").post(b + "/measurements/" + m + "/decision", approve()).status()).isEqualTo(409);

        String led = open("led-payers", true);
        String n = claim(led, "p-1");
        Api.Response notLead = node.api("payer2").post(led + "/measurements/" + n + "/decision", approve());
        assertThat(notLead.status()).as(notLead.toString()).isEqualTo(403);
        assertThat(notLead.json().get("code").asText()).isEqualTo("lead-payer-decides");
        node.api("payer").post(led + "/measurements/" + n + "/decision", approve()).expect(200);
        assertThat(lines(led)).containsExactly("payer 50.00 TRIGGERED", "payer2 50.00 TRIGGERED");
    }

    @Test
    void theReviewerResolvesADisputeAndThePayerWhoRaisedItCannot() {
        String b = open("reviewed", false);
        String m = claim(b, "p-1");
        node.api("payer").post(b + "/measurements/" + m + "/decision", approve()).expect(200);
        node.api("payer").post(b + "/measurements/" + m + "/decision", """
                {"decision": "DISPUTE", "reason": "on second thoughts"}""").expect(200);

        Api.Response self = node.api("payer").post(b + "/measurements/" + m + "/dispute-resolution", """
                {"resolution": "REJECT", "reason": "I raised it"}""");
        assertThat(self.status()).as(self.toString()).isEqualTo(403);
        assertThat(lines(b)).containsExactly("payer 50.00 HELD");
        // nor does the arranger pick another judge on its own: a reviewer comes with the terms or a consented variation
        Api.Response picked = node.api("arranger").post(b + "/parties", """
                {"role": "REVIEWER", "partyId": "arranger"}""");
        assertThat(picked.status()).as(picked.toString()).isEqualTo(403);
        assertThat(picked.json().get("code").asText()).isEqualTo("reviewer-by-variation");

        node.api("reviewer").post(b + "/measurements/" + m + "/dispute-resolution", """
                {"resolution": "REJECT", "reason": "evidence did not hold"}""").expect(200);
        assertThat(lines(b)).containsExactly("payer 50.00 CANCELLED");
    }

    @Test
    void aVariationNeedsEachAffectedPartysOwnConsent() throws Exception {
        String b = open("varied", false);
        Api.Response typedIn = node.api("arranger").post(b + "/amendments", """
                {"terms": %s, "reason": "prices x100", "effectiveFrom": "2019-01-01", "consentedBy": ["payer", "payer2"]}"""
                .formatted(terms("varied", false, "10000.00")));
        assertThat(typedIn.status()).as(typedIn.toString()).isEqualTo(400);

        String proposal = node.api("arranger").post(b + "/amendments", """
                {"terms": %s, "reason": "prices x100", "effectiveFrom": "2019-01-01"}"""
                .formatted(terms("varied", false, "10000.00"))).expect(201).get("proposalId").asText();
        JsonNode open = node.api("investor").get(b + "/amendments").json().get("open");
        assertThat(open.get("awaiting")).extracting(JsonNode::asText).containsExactly("payer", "payer2", "investor");
        assertThat(open.at("/currentTerms/paymentMechanism/prices/0/price").asText()).isEqualTo("100.00");
        assertThat(open.at("/proposedTerms/paymentMechanism/prices/0/price").asText()).isEqualTo("10000.00");

        assertThat(node.api("arranger").post(b + "/amendments/" + proposal + "/consent", "").status()).isEqualTo(403);
        node.api("payer").post(b + "/amendments/" + proposal + "/consent", "").expect(200);
        // the bond's page shows the proposal to its parties, term by term, with who consented and who not yet
        String page = Pages.get(node.node().baseUrl(), "investor", "/app/bonds/varied");
        assertThat(page).contains("data-testid=\"proposal\"", "paymentMechanism.prices.0.price", "10000.00",
                "prices x100", "payer2, investor");
        node.api("payer2").post(b + "/amendments/" + proposal + "/decline", """
                {"reason": "not at that price"}""").expect(200);

        assertThat(node.api("investor").get(b + "/amendments").json().has("open")).isFalse();
        assertThat(node.api("arranger").get(b).json().at("/terms/paymentMechanism/prices/0/price").asText())
                .isEqualTo("100.00");

        // proposed again, it takes effect with the last of the three consents, each given by its party for itself
        String again = node.api("arranger").post(b + "/amendments", """
                {"terms": %s, "reason": "prices x100, agreed", "effectiveFrom": "2019-01-01"}"""
                .formatted(terms("varied", false, "10000.00"))).expect(201).get("proposalId").asText();
        node.api("payer").post(b + "/amendments/" + again + "/consent", "").expect(200);
        node.api("payer2").post(b + "/amendments/" + again + "/consent", "").expect(200);
        assertThat(node.api("investor").get(b + "/amendments").json().at("/open/awaiting"))
                .extracting(JsonNode::asText).containsExactly("investor");
        assertThat(node.api("arranger").get(b).json().at("/terms/paymentMechanism/prices/0/price").asText())
                .isEqualTo("100.00");
        node.api("investor").post(b + "/amendments/" + again + "/consent", "").expect(200);
        node.api("arranger").await(b, r -> r.json().at("/terms/paymentMechanism/prices/0/price").asText()
                .equals("10000.00"));
        JsonNode amended = node.api("arranger").await(b + "/history?size=500", r -> r.body().contains("TermsAmended"))
                .json();
        amended.get("items").forEach(e -> {
            if (e.get("type").asText().equals("TermsAmended")) {
                assertThat(e.at("/payload/consentedBy")).extracting(JsonNode::asText)
                        .containsExactly("payer", "payer2", "investor");
                assertThat(e.get("actor").asText()).isEqualTo("investor");
            }
        });
        assertThat(node.api("investor").get(b + "/amendments").json().has("open")).isFalse();
    }

    private static String open(String bondId, boolean lead) {
        node.api("arranger").post("/api/bonds", terms(bondId, lead, "100.00")).expect(201);
        String b = "/api/bonds/" + bondId;
        node.api("investor").post(b + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post(b + "/opening", "").expect(200);
        node.api("provider").post(b + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 5, "startDate": "2018-10-01"}""").expect(201);
        node.api("provider").post(b + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}]""").expect(201);
        return b;
    }

    private static String terms(String bondId, boolean lead, String price) {
        return """
                {"bondId": "%s", "name": "Two payers %s", "currency": "GBP",
                 "serviceStart": "2018-10-01", "serviceEnd": "2022-03-31",
                 "parties": {"arranger": "arranger", "serviceProviders": ["provider"],
                   "outcomePayers": [{"id": "payer", "share": "0.5"%s}, {"id": "payer2", "share": "0.5"}],
                   "evaluators": ["evaluator"], "investors": ["investor"], "reviewers": ["reviewer"]},
                 "metrics": [{"id": "job", "name": "A job", "repeatable": false}],
                 "paymentMechanism": {"type": "RATE_CARD", "prices": [{"metric": "job", "price": "%s"}]},
                 "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}}"""
                .formatted(bondId, bondId, lead ? ", \"lead\": true" : "", price);
    }

    private static String claim(String b, String participant) {
        return node.api("evaluator").post(b + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch", "claims": [{"participantRef": "%s", "metric": "job",
                 "achievedOn": "2019-06-01", "evidenceRef": "payslip"}]}""".formatted(participant)).expect(202)
                .get("measurementId").asText();
    }

    private static String approve() {
        return """
                {"decision": "APPROVE", "reason": "verified"}""";
    }

    /** Every payout line of the bond as the arranger sees it: "payer amount status". */
    private static List<String> lines(String b) {
        List<String> lines = new ArrayList<>();
        node.api("arranger").get(b + "/payouts").json().get("items").forEach(line -> lines.add(
                line.get("payerId").asText() + " " + line.at("/amount/amount").asText() + " " + line.get("status").asText()));
        return lines;
    }

}
