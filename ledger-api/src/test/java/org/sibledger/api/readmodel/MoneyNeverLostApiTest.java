package org.sibledger.api.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.ReadModelTables;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DOMAIN.md's "nothing approved is ever lost" through REST and every read model: a result cancelled on dispute gives
 * back what later results were netted against it, a settled excess becomes a credit that the payer's next settlement
 * sets off, the pooled payment at maturity reaches payouts, liabilities, performance and history, and after all of it
 * every read model equals a replay of the event store.
 */
class MoneyNeverLostApiTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    @Test
    void aSettledExcessIsACreditSetOffAgainstTheNextSettlementInEveryView() {
        String b = open("credit-api", """
                {"type": "SAVINGS_SHARE", "metric": "savings",
                 "tiers": [{"upTo": "1000.00", "share": "0.5"}, {"upTo": null, "share": "1"}]}""", "savings");
        String first = savings(b, "1000.00", "2019");
        approve(b, first);
        String second = savings(b, "1000.00", "2020");
        approve(b, second);
        JsonNode paid = lines(b, second).get(0);
        assertThat(new BigDecimal(paid.at("/amount/amount").asText())).isEqualByComparingTo("1000.00");
        node.api("payer").post(b + "/payouts/" + paid.get("payoutId").asText() + "/settlement", "").expect(200);

        // the first result falls: the second is now worth 500, and 500 was settled above it
        node.api("payer").post(b + "/measurements/" + first + "/decision", """
                {"decision": "DISPUTE", "reason": "savings double counted"}""").expect(200);
        node.api("reviewer").post(b + "/measurements/" + first + "/dispute-resolution", """
                {"resolution": "REJECT", "reason": "double counted"}""").expect(200);

        JsonNode credit = lines(b, second).get(1);
        assertThat(new BigDecimal(credit.at("/amount/amount").asText())).isEqualByComparingTo("-500.00");
        assertThat(credit.get("status").asText()).isEqualTo("TRIGGERED");
        assertThat(credit.get("rule").asText()).startsWith("credit of GBP 500.00");
        assertThat(lines(b, first)).allMatch(line -> line.get("status").asText().equals("CANCELLED"));
        assertThat(payer(b).at("/due/amount").asText()).isEqualTo("-500.00");
        assertThat(payer(b).at("/settled/amount").asText()).isEqualTo("1000.00");
        assertThat(node.api("payer").post(b + "/payouts/" + credit.get("payoutId").asText() + "/settlement", "")
                .json().get("code").asText()).isEqualTo("credit-set-off");
        // the bond's performance: 500 is due for what stands (1,000 triggered for 2020, less the 500 credit)
        assertThat(performance(b).at("/total/triggered/amount").asText()).isEqualTo("500.00");
        assertThat(performance(b).at("/total/settled/amount").asText()).isEqualTo("1000.00");

        String third = savings(b, "1000.00", "2021");
        approve(b, third);
        JsonNode next = lines(b, third).get(0);
        node.api("payer").post(b + "/payouts/" + next.get("payoutId").asText() + "/settlement", "").expect(200);

        // 1,000 then 1,000 less the 500 credit: 1,500, everything now due (500 for 2020, 1,000 for 2021)
        assertThat(payer(b).at("/settled/amount").asText()).isEqualTo("1500.00");
        assertThat(payer(b).at("/due/amount").asText()).isEqualTo("0.00");
        assertThat(lines(b, second).get(1).get("status").asText()).isEqualTo("SETTLED");

        assertThat(performance(b).at("/total/triggered/amount").asText()).isEqualTo("1500.00");
        assertThat(performance(b).at("/total/settled/amount").asText()).isEqualTo("1500.00");

        ReadModelTables.assertEqualToReplay(node.sql(), node.api("admin"), "after a credit and its set-off");
    }

    @Test
    void aCreditLargerThanTheNextPayoutIsSetOffInPartAndTheRestRepaidAtMaturity() {
        String b = open("credit-split-api", """
                {"type": "SAVINGS_SHARE", "metric": "savings",
                 "tiers": [{"upTo": "1000.00", "share": "0.5"}, {"upTo": null, "share": "1"}]}""", "savings");
        String first = savings(b, "1000.00", "2019");
        approve(b, first);
        String second = savings(b, "1000.00", "2020");
        approve(b, second);
        node.api("payer").post(b + "/payouts/" + lines(b, second).get(0).get("payoutId").asText() + "/settlement", "")
                .expect(200);
        node.api("payer").post(b + "/measurements/" + first + "/decision", """
                {"decision": "DISPUTE", "reason": "savings double counted"}""").expect(200);
        node.api("reviewer").post(b + "/measurements/" + first + "/dispute-resolution", """
                {"resolution": "REJECT", "reason": "double counted"}""").expect(200);
        assertThat(payer(b).at("/due/amount").asText()).isEqualTo("-500.00");

        // a payout of 300 takes 300 of the 500 credit: the payer pays nothing for it, and 200 stays a credit
        String third = savings(b, "300.00", "2021");
        approve(b, third);
        node.api("payer").post(b + "/payouts/" + lines(b, third).get(0).get("payoutId").asText() + "/settlement", "")
                .expect(200);
        assertThat(lines(b, second)).extracting(line -> line.at("/amount/amount").asText() + " " + line.get("status").asText())
                .containsExactly("1000.00 SETTLED", "-500.00 CANCELLED", "-300.00 SETTLED", "-200.00 TRIGGERED");
        assertThat(payer(b).at("/settled/amount").asText()).isEqualTo("1000.00");
        assertThat(payer(b).at("/due/amount").asText()).isEqualTo("-200.00");

        // no payout can come after maturity: the bond repays the 200 to the payer
        String rest = lines(b, second).get(3).get("payoutId").asText();
        assertThat(node.api("payer").post(b + "/payouts/" + rest + "/settlement", "").json().get("code").asText())
                .isEqualTo("credit-set-off");
        node.api("arranger").post(b + "/maturity", "").expect(200);
        node.api("payer").post(b + "/payouts/" + rest + "/settlement", "").expect(200);

        // the payer paid 1,000 and got 200 back: 800, what is due for 2020 (500) and 2021 (300)
        assertThat(payer(b).at("/settled/amount").asText()).isEqualTo("800.00");
        assertThat(payer(b).at("/due/amount").asText()).isEqualTo("0.00");
        assertThat(performance(b).at("/total/triggered/amount").asText()).isEqualTo("800.00");
        assertThat(performance(b).at("/total/settled/amount").asText()).isEqualTo("800.00");
        assertThat(node.api("arranger").get(b + "/history").body()).contains(rest);

        ReadModelTables.assertEqualToReplay(node.sql(), node.api("admin"), "after a credit split and repaid");
    }

    @Test
    void thePooledPaymentAtMaturityReachesEveryView() {
        String b = open("pooled-api", """
                {"type": "THRESHOLD_VS_COMPARISON", "metric": "reconvictions", "lowerIsBetter": true,
                 "cohortThreshold": "0.10", "pooledThreshold": "0.075", "pricePerUnit": "100.00", "unitScale": "100"}""",
                "reconvictions");
        node.api("provider").post(b + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 100, "startDate": "2018-10-01"}""").expect(201);
        String result = node.api("evaluator").post(b + "/measurements", """
                {"type": "COHORT_RESULT", "cohortId": "c1", "metric": "reconvictions", "period": "2019",
                 "treated": "91", "comparison": "100", "periodEnd": "2019-12-31", "evidenceRef": "report"}""").expect(202)
                .get("measurementId").asText();
        approve(b, result);
        assertThat(node.api("payer").get(b + "/payouts").json().get("items")).isEmpty();

        node.api("arranger").post(b + "/maturity", "").expect(200);

        JsonNode pooled = node.api("payer").get(b + "/payouts").json().at("/items/0");
        assertThat(pooled.has("measurementId")).isFalse();
        assertThat(pooled.at("/amount/amount").asText()).isEqualTo("900.00");
        assertThat(pooled.get("rule").asText()).contains("at maturity");
        assertThat(pooled.get("termsVersion").asInt()).isEqualTo(1);
        assertThat(payer(b).at("/due/amount").asText()).isEqualTo("900.00");
        assertThat(node.api("arranger").get(b + "/history").body()).contains(pooled.get("payoutId").asText());
        assertThat(node.api("arranger").get(b + "/performance").body()).contains("900.00");
        JsonNode processors = node.api("admin").get("/api/admin/projections").json();
        assertThat(processors.toString()).doesNotContain("\"error\":true");

        ReadModelTables.assertEqualToReplay(node.sql(), node.api("admin"), "after maturity");
    }

    private static String open(String bondId, String mechanism, String metric) {
        String terms = """
                {"bondId": "%s", "name": "Money %s", "currency": "GBP",
                 "serviceStart": "2018-10-01", "serviceEnd": "2022-03-31",
                 "parties": {"arranger": "arranger", "serviceProviders": ["provider"],
                   "outcomePayers": [{"id": "payer", "share": "1.0"}], "evaluators": ["evaluator"],
                   "investors": ["investor"], "reviewers": ["reviewer"]},
                 "metrics": [{"id": "%s", "name": "%s", "repeatable": false}],
                 "paymentMechanism": %s,
                 "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}}"""
                .formatted(bondId, bondId, metric, metric, mechanism);
        node.api("arranger").post("/api/bonds", terms).expect(201);
        String b = "/api/bonds/" + bondId;
        node.api("investor").post(b + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post(b + "/opening", "").expect(200);
        return b;
    }

    private static String savings(String b, String amount, String period) {
        return node.api("evaluator").post(b + "/measurements", """
                {"type": "SAVINGS", "amount": "%s", "period": "%s", "periodEnd": "%s-12-31", "evidenceRef": "audit-%s"}"""
                .formatted(amount, period, period, period)).expect(202).get("measurementId").asText();
    }

    private static void approve(String b, String measurementId) {
        node.api("payer").post(b + "/measurements/" + measurementId + "/decision", """
                {"decision": "APPROVE", "reason": "verified"}""").expect(200);
    }

    /** The payouts of one measurement, in the order they were booked. */
    private static List<JsonNode> lines(String b, String measurementId) {
        List<JsonNode> lines = new ArrayList<>();
        node.api("payer").get(b + "/payouts").json().get("items").forEach(line -> {
            if (measurementId.equals(line.path("measurementId").asText(null))) {
                lines.add(line);
            }
        });
        return lines;
    }

    private static JsonNode performance(String b) {
        return node.api("payer").get(b + "/performance").json();
    }

    private static JsonNode payer(String b) {
        return node.api("payer").get(b + "/liabilities").json().at("/payers/0");
    }

}
