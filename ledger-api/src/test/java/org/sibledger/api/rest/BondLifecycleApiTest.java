package org.sibledger.api.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;


import static org.assertj.core.api.Assertions.assertThat;

/** A bond's life over REST: each role does its part, refusals are problem details, and nothing refused is stored. */
class BondLifecycleApiTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    @Test
    void fromCommitmentToSettledPayout() {
        String bond = "/api/bonds/api-life";
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("api-life")).status()).isEqualTo(201);
        ok(node.api("investor").post(bond + "/commitments", """
                {"tranche": "senior", "amount": "500000.00"}"""), 201);
        ok(node.api("arranger").post(bond + "/opening", ""), 200);
        Api.Response call = node.api("arranger").post(bond + "/capital-calls", """
                {"amount": "100000.00", "dueDate": "2019-01-31"}""");
        ok(call, 201);
        String callId = call.json().get("callId").asText();
        ok(node.api("investor").post(bond + "/capital-calls/" + callId + "/fundings", """
                {"amount": "100000.00"}"""), 201);
        ok(node.api("provider").post(bond + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 30, "startDate": "2018-10-01"}"""), 201);
        ok(node.api("provider").post(bond + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}]"""), 201);
        Api.Response submitted = node.api("evaluator").post(bond + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "payroll-2019-03",
                 "claims": [{"participantRef": "p-1", "metric": "earns-768", "achievedOn": "2019-03-01", "evidenceRef": "ps-1"}]}""");
        ok(submitted, 202);
        assertThat(submitted.json().get("status").asText()).isEqualTo("SUBMITTED");
        String measurementId = submitted.json().get("measurementId").asText();

        Api.Response own = node.api("evaluator").post(bond + "/measurements/" + measurementId + "/decision", """
                {"decision": "APPROVE"}""");
        assertThat(own.status()).as(own.toString()).isEqualTo(403);
        ok(node.api("payer").post(bond + "/measurements/" + measurementId + "/decision", """
                {"decision": "APPROVE", "reason": "payslip checked"}"""), 200);

        Api.Response payouts = node.api("investor").await(bond + "/payouts", r -> r.status() == 200
                && r.json().get("totalItems").asInt() == 1);
        var payout = payouts.json().at("/items/0");
        assertThat(payout.get("measurementId").asText()).isEqualTo(measurementId);
        assertThat(payout.at("/amount/amount").asText()).isEqualTo("2750.00");
        assertThat(payout.at("/amount/currency").asText()).isEqualTo("GBP");
        assertThat(payout.at("/capped/amount").asText()).isEqualTo("0.00");
        assertThat(payout.get("rule").asText()).contains("rate card");
        assertThat(payout.get("status").asText()).isEqualTo("TRIGGERED");
        String payoutId = payout.get("payoutId").asText();
        ok(node.api("payer").post(bond + "/payouts/" + payoutId + "/settlement", ""), 200);
        assertThat(node.api("payer").await(bond + "/payouts", r -> r.body().contains("SETTLED"))
                .json().at("/items/0/status").asText()).isEqualTo("SETTLED");
        assertThat(node.api("investor2").get(bond + "/payouts").status()).isEqualTo(404);
        assertThat(node.api("payer").post(bond + "/payouts/" + payoutId + "/settlement", "").status()).isEqualTo(409);
    }

    @Test
    void badBodiesAreSpecific4xxAndStoreNothing() {
        assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("api-bad")).status()).isEqualTo(201);
        long before = events();
        Api.Response numeric = node.api("investor").post("/api/bonds/api-bad/commitments", """
                {"tranche": "senior", "amount": 500000.00}""");
        assertThat(numeric.status()).as(numeric.toString()).isEqualTo(400);
        assertThat(numeric.json().at("/errors/0/pointer").asText()).isEqualTo("/amount");
        assertThat(node.api("investor").post("/api/bonds/api-bad/commitments", "{\"tranche\": ").status()).isEqualTo(400);
        assertThat(node.api("investor").post("/api/bonds/api-bad/commitments", """
                {"tranche": "senior", "amount": "1.001"}""").status()).isEqualTo(422);
        assertThat(node.api("investor").post("/api/bonds/api-bad/commitments", """
                {"tranche": "senior", "amount": "1.00", "colour": "red"}""").status()).isEqualTo(400);
        assertThat(node.api("payer").post("/api/bonds/api-bad/commitments", """
                {"tranche": "senior", "amount": "1.00"}""").status()).isEqualTo(403);
        Api.Response unknownBond = node.api("investor").post("/api/bonds/no-such-bond/commitments", """
                {"tranche": "senior", "amount": "1.00"}""");
        assertThat(unknownBond.status()).as(unknownBond.toString()).isEqualTo(404);
        assertThat(unknownBond.json().get("code").asText()).isEqualTo("unknown-bond");
        assertThat(events()).isEqualTo(before);

        // once open: decisions on unknown or decided measurements, amounts beyond commitments, wrong types
        ok(node.api("investor").post("/api/bonds/api-bad/commitments", """
                {"tranche": "senior", "amount": "1000.00"}"""), 201);
        ok(node.api("arranger").post("/api/bonds/api-bad/opening", ""), 200);
        ok(node.api("provider").post("/api/bonds/api-bad/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 2, "startDate": "2019-01-01"}"""), 201);
        ok(node.api("provider").post("/api/bonds/api-bad/cohorts/c1/participants", """
                [{"participantRef": "p-1"}]"""), 201);
        String measurementId = node.api("evaluator").post("/api/bonds/api-bad/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "e", "claims": [{"participantRef": "p-1", "metric": "earns-768",
                 "achievedOn": "2019-03-01", "evidenceRef": "ps-1"}]}""").json().get("measurementId").asText();
        ok(node.api("payer").post("/api/bonds/api-bad/measurements/" + measurementId + "/decision", """
                {"decision": "REJECT", "reason": "no payslip"}"""), 200);
        long open = events();
        refused(node.api("payer").post("/api/bonds/api-bad/measurements/m-none/decision", """
                {"decision": "APPROVE"}"""), 404, "unknown-measurement");
        refused(node.api("payer").post("/api/bonds/api-bad/measurements/" + measurementId + "/decision", """
                {"decision": "APPROVE"}"""), 409, "already-decided");
        refused(node.api("payer").post("/api/bonds/api-bad/measurements/" + measurementId + "/decision", """
                {"decision": "MAYBE"}"""), 400, "invalid-request");
        refused(node.api("arranger").post("/api/bonds/api-bad/capital-calls", """
                {"amount": "1000.01", "dueDate": "2019-01-31"}"""), 422, "call-exceeds-commitments");
        refused(node.api("provider").post("/api/bonds/api-bad/cohorts", """
                {"cohortId": "c2", "name": "Cohort 2", "size": "ten", "startDate": "2019-01-01"}"""), 400, "invalid-request");
        refused(node.api("provider").post("/api/bonds/api-bad/cohorts/c1/participants", """
                [{"participantRef": "p-2"}, {"participantRef": "p-3"}]"""), 422, "cohort-full");
        refused(node.api("payer").post("/api/bonds/api-bad/payouts/po-none/settlement", ""), 404, "unknown-payout");
        Api.Response unknownMetric = node.api("evaluator").post("/api/bonds/api-bad/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "e", "claims": [{"participantRef": "p-1", "metric": "no-such",
                 "achievedOn": "2019-03-01", "evidenceRef": "ps-1"}]}""");
        refused(unknownMetric, 422, "unknown-metric");
        assertThat(unknownMetric.json().at("/errors/0/pointer").asText()).isEqualTo("/claims/0/metric");
        assertThat(events()).isEqualTo(open);
    }

    private static void refused(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.json().get("code").asText()).as(response.toString()).isEqualTo(code);
    }

    private static void ok(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }

    private static long events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }
}
