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
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's histories through REST: on a rate card with a participant cap, tiers of savings and a threshold against
 * a comparison group, two payers each deciding for its own share (one with a commitment cap, under a contract cap),
 * seeded random submissions, corrections, approvals, rejections, disputes upheld and overturned, settlements (credits
 * set off, in part or whole), maturity and credits repaid after it. No request fails with a server error; after
 * every history the payouts the API shows add up, per payer, to what its liabilities show; and every read model
 * equals a replay of the event store.
 */
class RandomHistoriesReplayApiTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final String[] PAYERS = {"payer", "payer2"};
    /** The statuses of every payout line the histories left, to show they did what they are for. */
    private final List<String> statuses = new ArrayList<>();

    @Test
    void everyReadModelEqualsAReplayAfterRandomHistories() {
        history("random-rate-card", 14, """
                {"type": "RATE_CARD", "prices": [{"metric": "job", "price": "300.00", "metricCap": "1500.00"}],
                 "perParticipantCap": "500.00"}""", "job", true);
        history("random-savings", 41, """
                {"type": "SAVINGS_SHARE", "metric": "savings",
                 "tiers": [{"upTo": "1000.00", "share": "0.5"}, {"upTo": null, "share": "1"}], "cap": "2200.00"}""",
                "savings", false);
        history("random-threshold", 77, """
                {"type": "THRESHOLD_VS_COMPARISON", "metric": "reconvictions", "lowerIsBetter": true,
                 "cohortThreshold": "0.10", "pooledThreshold": "0.075", "pricePerUnit": "7.00", "unitScale": "100"}""",
                "reconvictions", false);

        // lines were booked and settled, and some cancelled by what changed after them
        assertThat(statuses).contains("SETTLED", "CANCELLED");
        ReadModelTables.assertEqualToReplay(node.sql(), node.api("admin"), "after random histories");
    }

    private void history(String bondId, long seed, String mechanism, String metric, boolean repeatable) {
        Random random = new Random(seed);
        String b = open(bondId, mechanism, metric, repeatable);
        List<String> submitted = new ArrayList<>();
        for (int step = 0; step < 45; step++) {
            int pick = random.nextInt(100);
            if (submitted.size() < 3 || pick < 18) {
                submitted.add(submit(b, metric, random, submitted.size(), null));
            } else if (pick < 24) {
                String earlier = submitted.get(random.nextInt(submitted.size()));
                submitted.add(submit(b, metric, random, submitted.size(), earlier));
            } else if (pick < 50) {
                decide(b, submitted.get(random.nextInt(submitted.size())), "APPROVE", random);
            } else if (pick < 55) {
                decide(b, submitted.get(random.nextInt(submitted.size())), "REJECT", random);
            } else if (pick < 68) {
                String m = submitted.get(random.nextInt(submitted.size()));
                decide(b, m, "DISPUTE", random);
                answered(node.api("reviewer").post(b + "/measurements/" + m + "/dispute-resolution", """
                        {"resolution": "%s", "reason": "reviewed"}""".formatted(random.nextBoolean() ? "UPHOLD" : "REJECT")));
            } else {
                settleOne(b, random, false);
            }
        }
        answered(node.api("arranger").post(b + "/maturity", ""));
        for (int step = 0; step < 12; step++) {
            settleOne(b, random, true);
        }
        assertPayoutsAddUpToTheLiabilities(b);
        node.api("arranger").get(b + "/payouts?size=500").json().get("items")
                .forEach(line -> statuses.add(line.get("status").asText()));
    }

    private static String open(String bondId, String mechanism, String metric, boolean repeatable) {
        node.api("arranger").post("/api/bonds", """
                {"bondId": "%s", "name": "Random %s", "currency": "GBP", "contractCap": "2500.00",
                 "serviceStart": "2018-10-01", "serviceEnd": "2022-03-31",
                 "parties": {"arranger": "arranger", "serviceProviders": ["provider"],
                   "outcomePayers": [{"id": "payer", "share": "0.6", "cap": "1200.00"}, {"id": "payer2", "share": "0.4"}],
                   "evaluators": ["evaluator"], "investors": ["investor"], "reviewers": ["reviewer"]},
                 "metrics": [{"id": "%s", "name": "%s", "repeatable": %s}],
                 "paymentMechanism": %s,
                 "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}}"""
                .formatted(bondId, bondId, metric, metric, repeatable, mechanism)).expect(201);
        String b = "/api/bonds/" + bondId;
        node.api("investor").post(b + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post(b + "/opening", "").expect(200);
        node.api("provider").post(b + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 100, "startDate": "2018-10-01"}""").expect(201);
        node.api("provider").post(b + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}, {"participantRef": "p-3"}]""").expect(201);
        return b;
    }

    /** A measurement of the bond's kind from few values, so that results collide; a correction when it names one. */
    private static String submit(String b, String metric, Random random, int n, String supersedes) {
        String body = switch (metric) {
            case "job" -> """
                    {"type": "OUTCOME_CLAIMS", "claims": [{"participantRef": "p-%d", "metric": "job",
                     "achievedOn": "2019-0%d-01", "evidenceRef": "payslip"}]""".formatted(1 + random.nextInt(3),
                    1 + random.nextInt(6));
            case "savings" -> """
                    {"type": "SAVINGS", "amount": "%d.00", "period": "y%d", "periodEnd": "2019-12-31\""""
                    .formatted(400 * (1 + random.nextInt(4)), random.nextInt(3));
            default -> """
                    {"type": "COHORT_RESULT", "cohortId": "c1", "metric": "reconvictions", "period": "y%d",
                     "treated": "%d", "comparison": "100", "periodEnd": "2019-12-31\""""
                    .formatted(random.nextInt(2), 70 + 7 * random.nextInt(5));
        };
        String full = body + (supersedes == null ? "" : ", \"supersedes\": \"" + supersedes + "\"")
                + ", \"measurementId\": \"m-" + n + "\", \"evidenceRef\": \"evidence-" + n + "\"}";
        answered(node.api("evaluator").post(b + "/measurements", full));
        return "m-" + n;
    }

    private static void decide(String b, String measurementId, String decision, Random random) {
        answered(node.api(PAYERS[random.nextInt(2)]).post(b + "/measurements/" + measurementId + "/decision", """
                {"decision": "%s", "reason": "checked"}""".formatted(decision)));
    }

    /** A payer settles one of its open lines: a payout (credits set off against it), or after maturity a credit. */
    private static void settleOne(String b, Random random, boolean credits) {
        List<JsonNode> open = new ArrayList<>();
        node.api("arranger").get(b + "/payouts?size=500").json().get("items").forEach(line -> {
            BigDecimal amount = new BigDecimal(line.at("/amount/amount").asText());
            if ("TRIGGERED".equals(line.get("status").asText()) && (credits ? amount.signum() != 0 : amount.signum() > 0)) {
                open.add(line);
            }
        });
        if (!open.isEmpty()) {
            JsonNode line = open.get(random.nextInt(open.size()));
            answered(node.api(line.get("payerId").asText()).post(b + "/payouts/" + line.get("payoutId").asText()
                    + "/settlement", ""));
        }
    }

    /** Each payer's liabilities (due, held, settled) are the sums of its payout lines by status. */
    private static void assertPayoutsAddUpToTheLiabilities(String b) {
        JsonNode lines = node.api("arranger").get(b + "/payouts?size=500").json().get("items");
        for (JsonNode payer : node.api("arranger").get(b + "/liabilities").json().get("payers")) {
            String id = payer.get("payerId").asText();
            assertThat(new BigDecimal(payer.at("/due/amount").asText())).as(b + " due of " + id)
                    .isEqualByComparingTo(sum(lines, id, "TRIGGERED"));
            assertThat(new BigDecimal(payer.at("/held/amount").asText())).as(b + " held of " + id)
                    .isEqualByComparingTo(sum(lines, id, "HELD"));
            assertThat(new BigDecimal(payer.at("/settled/amount").asText())).as(b + " settled of " + id)
                    .isEqualByComparingTo(sum(lines, id, "SETTLED"));
        }
    }

    private static BigDecimal sum(JsonNode lines, String payerId, String status) {
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode line : lines) {
            if (payerId.equals(line.get("payerId").asText()) && status.equals(line.get("status").asText())) {
                total = total.add(new BigDecimal(line.at("/amount/amount").asText()));
            }
        }
        return total;
    }

    /** Refusals are part of a random history; a server error never is. */
    private static Api.Response answered(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isLessThan(500);
        return response;
    }
}
