package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNodeExtension;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payer's pages over HTTP, as a browser's form posts reach them: a decision waits for its confirmation and a
 * reason, and is then the same command as the API's; payouts are settled one or many under a payment reference that
 * stays on the record; and the forecast of what the payer will owe.
 */
class PayerPagesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final String BOND = "payer-pages";

    @BeforeAll
    static void bond() {
        Bonds.openWithCohort(node::api, BOND, 10);
        Bonds.enrol(node::api, BOND, List.of("p-1", "p-2", "p-3", "p-4"));
    }

    private static String submit(String... participants) {
        StringBuilder claims = new StringBuilder();
        for (String p : participants) {
            claims.append(claims.isEmpty() ? "" : ",").append("""
                    {"participantRef": "%s", "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "https://evidence.example/%s"}"""
                    .formatted(p, p));
        }
        return node.api("evaluator").post("/api/bonds/" + BOND + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "claims": [%s], "evidenceRef": "batch-1"}""".formatted(claims))
                .expect(202).get("measurementId").asText();
    }

    private static String status(String measurementId) {
        return node.api("payer").get("/api/bonds/" + BOND + "/measurements/" + measurementId).expect(200).get("status").asText();
    }

    @Test
    void aDecisionIsConfirmedWithItsAmountAndAReasonBeforeAnythingIsRecorded() {
        String measurement = submit("p-1", "p-2");
        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");

        PageSession.Page queue = payer.get("/app/payer");
        assertThat(queue.body()).contains("data-measurement=\"" + measurement + "\"")
                .contains("href=\"https://evidence.example/p-1\"").contains("£2,750.00").contains("£5,500.00")
                .contains("Outcome claims").doesNotContain("OUTCOME_CLAIMS<");

        String path = "/app/payer/bonds/" + BOND + "/measurements/" + measurement + "/decision";
        PageSession.Page confirm = payer.get(path + "?decision=APPROVE");
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(confirm.body()).contains("Approving triggers £5,500.00").contains("name=\"reason\"");
        assertThat(status(measurement)).isEqualTo("SUBMITTED");
        // rejecting and disputing ask the same way, saying what the amount shown becomes
        assertThat(payer.get(path + "?decision=REJECT").body()).contains("Reject this measurement?")
                .contains("Rejecting pays nothing for it; the £5,500.00 shown above is not triggered").contains("name=\"reason\"");
        assertThat(payer.get(path + "?decision=DISPUTE").body()).contains("Dispute this measurement?")
                .contains("the £5,500.00 shown above is not triggered until the dispute is resolved");
        assertThat(status(measurement)).isEqualTo("SUBMITTED");

        // without a reason nothing is recorded, and the payer is sent back to the confirmation
        PageSession.Page noReason = payer.post(path, Map.of("decision", List.of("APPROVE"), "reason", List.of("  ")));
        assertThat(noReason.status()).isEqualTo(302);
        assertThat(noReason.location()).contains(path + "?decision=APPROVE");
        assertThat(payer.get(noReason.location().replaceFirst("^https?://[^/]+", "")).body()).contains("Give a reason");
        assertThat(payer.postAndFollow(path, Map.of("decision", List.of("PAY_EVERYTHING"), "reason", List.of("x"))).body())
                .contains("Choose approve, reject or dispute.");
        assertThat(status(measurement)).isEqualTo("SUBMITTED");

        PageSession.Page decided = payer.postAndFollow(path, Map.of("decision", List.of("APPROVE"),
                "reason", List.of("Payslips checked")));
        assertThat(decided.body()).contains("Decision recorded: approved of measurement " + measurement);
        JsonNode approved = node.api("payer").get("/api/bonds/" + BOND + "/measurements/" + measurement).expect(200);
        assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.get("reason").asText()).isEqualTo("Payslips checked");

        // across the payer's bonds, currency by currency: an outcomes fund's totals under the bonds' lines
        assertThat(decided.body()).contains("data-testid=\"exposure-total\" data-currency=\"GBP\"")
                .contains("All your bonds in GBP (1)");
        // in Hebrew, the same page speaks Hebrew
        assertThat(payer.get("/app/payer?lang=he").body()).contains("תור האישורים").contains("ההתחייבויות שלך בכל האגרות");
    }

    @Test
    void payoutsAreSettledOneOrManyUnderAPaymentReference() {
        String measurement = submit("p-3");
        node.api("payer").post("/api/bonds/" + BOND + "/measurements/" + measurement + "/decision", """
                {"decision": "APPROVE", "reason": "ok"}""").expect(200);
        List<String> triggered = new ArrayList<>();
        for (JsonNode p : node.api("payer").get("/api/bonds/" + BOND + "/payouts?size=100").expect(200).get("items")) {
            if (p.get("status").asText().equals("TRIGGERED")) {
                triggered.add(p.get("payoutId").asText());
            }
        }
        assertThat(triggered).isNotEmpty();
        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");
        PageSession.Page page = payer.get("/app/payer");
        for (String id : triggered) {
            assertThat(page.body()).contains("value=\"" + id + "\"");
        }
        String path = "/app/payer/bonds/" + BOND + "/settlements";
        PageSession.Page noReference = payer.postAndFollow(path, Map.of("payoutId", triggered, "reference", List.of("")));
        assertThat(noReference.body()).contains("Give the payment reference");
        PageSession.Page settled = payer.postAndFollow(path, Map.of("payoutId", triggered, "reference", List.of("BACS-77")));
        assertThat(settled.body()).contains(triggered.size() + " payouts recorded as paid under payment reference BACS-77");
        for (String id : triggered) {
            assertThat(settled.body()).doesNotContain("value=\"" + id + "\"");
        }
        for (JsonNode p : node.api("payer").get("/api/bonds/" + BOND + "/payouts?size=100").expect(200).get("items")) {
            if (triggered.contains(p.get("payoutId").asText())) {
                assertThat(p.get("status").asText()).isEqualTo("SETTLED");
            }
        }
        // the reference is kept with each settlement on the bond's record
        List<String> keys = node.sql().queryForList("""
                SELECT convert_from(metadata, 'UTF8')::jsonb ->> 'idempotencyKey' FROM domainevententry
                WHERE aggregateidentifier = ? AND payloadtype LIKE '%PayoutSettled%'""", String.class, BOND);
        assertThat(keys).hasSize(triggered.size()).allMatch(k -> k.startsWith("payment BACS-77 "));
        // and the payer reads it again on the bond's page, beside each settlement in the history
        String bondPage = payer.get("/app/bonds/" + BOND).body();
        assertThat(bondPage.split("data-testid=\"payment-reference\"", -1)).hasSize(triggered.size() + 1);
        assertThat(bondPage).contains("Payment reference</span>: <bdi>BACS-77</bdi>");
        // settling again under the same reference records nothing twice, and is told so in words
        PageSession.Page again = payer.postAndFollow(path, Map.of("payoutId", triggered.subList(0, 1), "reference", List.of("BACS-78")));
        assertThat(again.body()).contains("problem").doesNotContain("Exception");
    }

    @Test
    void someoneWhoIsNotTheBondsPayerCannotReachItsConfirmation() {
        String measurement = submit("p-4");
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        PageSession.Page page = investor.get("/app/payer/bonds/" + BOND + "/measurements/" + measurement + "/decision?decision=APPROVE");
        assertThat(page.status()).isIn(403, 404);
        assertThat(status(measurement)).isEqualTo("SUBMITTED");
    }

    @Test
    void theTotalsAcrossBondsAreSummedCurrencyByCurrencyAndUnknownWhereABondSetsNoFigure() {
        PayerPages.Exposure a = exposure("a", "GBP", "1000.00", "300.00", "100.00", "700.00");
        PayerPages.Exposure b = exposure("b", "GBP", "2000.00", "50.00", "0.00", "1950.00");
        PayerPages.Exposure c = exposure("c", "ILS", null, "10.00", "10.00", null);
        List<PayerPages.ExposureTotal> totals = PayerPages.totals(List.of(a, c, b));
        assertThat(totals).extracting(PayerPages.ExposureTotal::currency).containsExactly("GBP", "ILS");
        PayerPages.ExposureTotal gbp = totals.get(0);
        assertThat(gbp.bonds()).isEqualTo(2);
        assertThat(gbp.committed().amount()).isEqualByComparingTo("3000.00");
        assertThat(gbp.triggered().amount()).isEqualByComparingTo("350.00");
        assertThat(gbp.settled().amount()).isEqualByComparingTo("100.00");
        assertThat(gbp.outstanding().amount()).isEqualByComparingTo("250.00");
        assertThat(gbp.headroom().amount()).isEqualByComparingTo("2650.00");
        assertThat(gbp.committed().currency()).isEqualTo("GBP");
        assertThat(totals.get(1).committed()).as("a bond with no cap: no committed sum").isNull();
        assertThat(totals.get(1).triggered().amount()).isEqualByComparingTo("10.00");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLiabilitiesChartHasEveryMonthSoItsTimeAxisIsEven() {
        java.util.function.BiFunction<String, String, org.sibledger.contracts.payout.PayoutView> payout = (triggered, settled) ->
                new org.sibledger.contracts.payout.PayoutView("p", "b", "m", "payer", "metric", null, null, null,
                        new org.sibledger.contracts.common.Money(new BigDecimal("100.00"), "GBP"), null, "rule",
                        settled == null ? "TRIGGERED" : "SETTLED", java.time.Instant.parse(triggered),
                        settled == null ? null : java.time.Instant.parse(settled));
        Map<String, Object> chart = PayerPages.chartOf(List.of(payout.apply("2021-01-20T10:00:00Z", "2021-04-02T10:00:00Z"),
                payout.apply("2021-04-20T10:00:00Z", null)), "Triggered", "Settled");
        assertThat((List<String>) chart.get("labels")).containsExactly("2021-01", "2021-02", "2021-03", "2021-04");
        List<Map<String, Object>> datasets = (List<Map<String, Object>>) chart.get("datasets");
        assertThat((List<BigDecimal>) datasets.get(0).get("data")).extracting(BigDecimal::toPlainString)
                .containsExactly("100.00", "100.00", "100.00", "200.00");
        assertThat((List<BigDecimal>) datasets.get(1).get("data")).extracting(BigDecimal::toPlainString)
                .containsExactly("0", "0", "0", "100.00");
    }

    private static PayerPages.Exposure exposure(String id, String currency, String committed, String triggered,
                                                String settled, String headroom) {
        org.sibledger.contracts.bond.BondView bond = new org.sibledger.contracts.bond.BondView(id, id, currency,
                null, null, null, null, 0);
        java.util.function.Function<String, org.sibledger.contracts.common.Money> money =
                v -> v == null ? null : new org.sibledger.contracts.common.Money(new BigDecimal(v), currency);
        return new PayerPages.Exposure(bond, money.apply(committed), money.apply(triggered), money.apply(settled),
                money.apply(new BigDecimal(triggered).subtract(new BigDecimal(settled)).toPlainString()),
                money.apply(headroom), null);
    }

    @Test
    void theForecastCarriesTheRateSoFarToTheEndAndNeverAboveTheCommitment() {
        LocalDate start = LocalDate.of(2026, 1, 1);
        LocalDate end = LocalDate.of(2026, 12, 31);
        // a quarter of the way through (90 of 364 days) 900.00 triggered: 3,640.00 by the end
        assertThat(PayerPages.forecast(new BigDecimal("900.00"), start, end, LocalDate.of(2026, 4, 1), null, "GBP"))
                .isEqualByComparingTo("3640.00");
        assertThat(PayerPages.forecast(new BigDecimal("900.00"), start, end, LocalDate.of(2026, 4, 1), new BigDecimal("2000"), "GBP"))
                .isEqualByComparingTo("2000");
        assertThat(PayerPages.forecast(new BigDecimal("900.00"), start, end, LocalDate.of(2027, 6, 1), null, "GBP"))
                .isEqualByComparingTo("900.00");
        assertThat(PayerPages.forecast(BigDecimal.ZERO, start, end, LocalDate.of(2025, 6, 1), null, "GBP")).isNull();
        assertThat(PayerPages.forecast(new BigDecimal("1000"), start, end, LocalDate.of(2026, 4, 1), null, "JPY"))
                .isEqualByComparingTo("4044");
    }
}
