package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

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
        node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)).expect(201);
        node.api("investor").post("/api/bonds/" + BOND + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post("/api/bonds/" + BOND + "/opening", "").expect(200);
        node.api("provider").post("/api/bonds/" + BOND + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2019-01-01"}""").expect(201);
        node.api("provider").post("/api/bonds/" + BOND + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}, {"participantRef": "p-3"}, {"participantRef": "p-4"}]""").expect(201);
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
