package org.sibledger.api.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The largest values the ledger accepts are stored and served by every read model on real PostgreSQL: a commitment,
 * capital call, funding and distribution of 999,999,999,999,999.99 dated up to 2100-12-31, a cohort of 10,000,000
 * and a cohort result priced at 999,999,900,000,000.00, settled. One more is refused, and the read models go on.
 */
class LargestValuesApiTest {

    private static final String BOND = "/api/bonds/largest-values";
    private static final String LARGEST = "999999999999999.99";
    private static final String PRICED = "999999900000000.00";

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    @Test
    void theLargestAcceptedValuesAreStoredAndServedByEveryReadModel() {
        node.api("arranger").post("/api/bonds", """
                {"bondId": "largest-values", "name": "Largest values", "currency": "GBP",
                 "serviceStart": "2000-01-01", "serviceEnd": "2100-12-31",
                 "parties": {"arranger": "arranger", "serviceProviders": ["provider"],
                   "outcomePayers": [{"id": "payer", "share": "1"}], "evaluators": ["evaluator"],
                   "investors": ["investor"]},
                 "metrics": [{"id": "reconvictions", "name": "Reconviction events"}],
                 "paymentMechanism": {"type": "THRESHOLD_VS_COMPARISON", "metric": "reconvictions",
                   "lowerIsBetter": true, "cohortThreshold": "0.10", "pooledThreshold": "0.075",
                   "pricePerUnit": "1000.00", "unitScale": "1"},
                 "investorTerms": {"tranches": [{"id": "senior", "rank": 1}]}}""").expect(201);
        node.api("investor").post(BOND + "/commitments", """
                {"tranche": "senior", "amount": "%s"}""".formatted(LARGEST)).expect(201);
        node.api("arranger").post(BOND + "/opening", "").expect(200);
        String callId = node.api("arranger").post(BOND + "/capital-calls", """
                {"amount": "%s", "dueDate": "2100-12-31"}""".formatted(LARGEST)).expect(201).get("callId").asText();
        node.api("investor").post(BOND + "/capital-calls/" + callId + "/fundings", """
                {"amount": "%s"}""".formatted(LARGEST)).expect(201);
        node.api("provider").post(BOND + "/cohorts", """
                {"cohortId": "c1", "name": "Everyone", "size": 10000000, "startDate": "2000-01-01"}""").expect(201);
        // 1000.00 a unit x (200000 - 100000.01) units per person x 10,000,000 people
        String measurementId = node.api("evaluator").post(BOND + "/measurements", """
                {"type": "COHORT_RESULT", "cohortId": "c1", "metric": "reconvictions", "period": "2100",
                 "treated": "100000.01", "comparison": "200000", "evidenceRef": "study"}""").expect(202)
                .get("measurementId").asText();
        Api.Response tooLarge = node.api("evaluator").post(BOND + "/measurements", """
                {"type": "COHORT_RESULT", "cohortId": "c1", "metric": "reconvictions", "period": "2101",
                 "treated": "100000", "comparison": "200000", "evidenceRef": "study"}""");
        assertThat(tooLarge.status()).as(tooLarge.toString()).isEqualTo(422);
        assertThat(tooLarge.json().get("code").asText()).isEqualTo("amount-out-of-range");
        assertThat(tooLarge.json().at("/errors/0/pointer").asText()).isEqualTo("/treated");
        node.api("payer").post(BOND + "/measurements/" + measurementId + "/decision", """
                {"decision": "APPROVE", "reason": "verified"}""").expect(200);

        JsonNode payouts = read("payer", BOND + "/payouts");
        assertThat(payouts.get("totalItems").asInt()).isEqualTo(1);
        assertThat(payouts.at("/items/0/amount/amount").asText()).isEqualTo(PRICED);
        node.api("payer").post(BOND + "/payouts/" + payouts.at("/items/0/payoutId").asText() + "/settlement", "").expect(200);
        node.api("arranger").post(BOND + "/distributions", """
                {"amount": "%s", "date": "2100-12-31"}""".formatted(LARGEST)).expect(201);

        JsonNode performance = read("investor", BOND + "/performance");
        assertThat(performance.at("/total/triggered/amount").asText()).isEqualTo(PRICED);
        assertThat(performance.at("/total/settled/amount").asText()).isEqualTo(PRICED);
        assertThat(read("payer", BOND + "/liabilities").at("/payers/0/settled/amount").asText()).isEqualTo(PRICED);
        assertThat(read("payer", BOND + "/measurements/" + measurementId).at("/payable/amount").asText())
                .isEqualTo(PRICED);
        // the bond's position: the investor may hold others, of classes sharing the node
        JsonNode position = null;
        for (JsonNode p : read("investor", "/api/investors/investor/portfolio").get("positions")) {
            if (p.get("bondId").asText().equals("largest-values")) {
                assertThat(position).as("one position in the bond's one tranche").isNull();
                position = p;
            }
        }
        assertThat(position).as("the investor's position in the bond").isNotNull();
        assertThat(position.at("/committed/amount").asText()).isEqualTo(LARGEST);
        assertThat(position.at("/funded/amount").asText()).isEqualTo(LARGEST);
        assertThat(position.at("/distributed/amount").asText()).isEqualTo(LARGEST);
        assertThat(read("arranger", BOND).get("status").asText()).isEqualTo("OPEN");
    }

    private static JsonNode read(String user, String path) {
        Api.Response response = node.api(user).get(path);
        assertThat(response.status()).as(path + " -> " + response).isEqualTo(200);
        return response.json();
    }

}
