package org.sibledger.api.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Pages;
import org.sibledger.api.support.ReadModelTables;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One bond's event that one read model cannot store stops that bond in that read model only, loudly, until an
 * operator acts. The failures are made by check constraints added here that one bond's rows violate:
 * <ul>
 *   <li>{@code payout_bond} for bond {@value #BAD_PAYOUTS}: the payouts read model writes it through its batched
 *   writes, so the failure happens when the batch commits, outside the handler's call;</li>
 *   <li>{@code bond_view} for bond {@value #BAD_BONDS}: the bonds read model inserts it in the handler, so the handler
 *   throws (and, on PostgreSQL, the failed statement aborts the batch's transaction).</li>
 * </ul>
 * Every other bond, and every other read model of those two bonds, goes on and equals a replay; readiness says
 * DEGRADED naming the read model, the bond and the event; the admin endpoints list the letters, retry them once the
 * cause is gone (the bond catches up) and skip one with a recorded reason; each action is audited.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetteredReadModelTest {

    private static final String BAD_PAYOUTS = "bad-payouts";
    private static final String BAD_BONDS = "bad-bonds";
    private static final List<String> GOOD = List.of("good-1", "good-2", "good-3");
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    @Test
    @Order(1)
    void anEventOneReadModelCannotStoreStopsOnlyThatBondInThatReadModelAndSaysSo() throws Exception {
        node.sql().execute("ALTER TABLE payout_bond ADD CONSTRAINT test_refuses_bad_payouts CHECK (bond_id <> '"
                + BAD_PAYOUTS + "')");
        node.sql().execute("ALTER TABLE bond_view ADD CONSTRAINT test_refuses_bad_bonds CHECK (bond_id <> '"
                + BAD_BONDS + "')");
        for (String bond : List.of(GOOD.get(0), BAD_PAYOUTS, GOOD.get(1), BAD_BONDS, GOOD.get(2))) {
            node.api("arranger").post("/api/bonds", terms(bond)).expect(201);
        }
        // the bond whose payouts are stuck goes on through every other read model, as do the good ones
        for (String bond : List.of(GOOD.get(0), BAD_PAYOUTS, GOOD.get(1), GOOD.get(2))) {
            fundAndApproveOneClaim(bond);
        }

        JsonNode letters = awaitLetters(2 + 1);
        Map<String, List<JsonNode>> byReadModel = new java.util.TreeMap<>();
        letters.get("items").forEach(l -> byReadModel.computeIfAbsent(l.get("readModel").asText(), k -> new ArrayList<>()).add(l));
        assertThat(byReadModel.keySet()).as(letters.toString()).containsExactly("bonds", "payouts");
        // payouts: the bond's first event failed at the batch's commit; its payout waits behind it, in order
        List<JsonNode> payouts = byReadModel.get("payouts");
        assertThat(payouts).extracting(l -> l.get("bondId").asText()).containsOnly(BAD_PAYOUTS);
        assertThat(payouts.get(0).get("sequence").asLong()).isZero();
        assertThat(payouts.get(0).get("eventType").asText()).isEqualTo("BondStructuredEvent");
        assertThat(payouts.get(0).get("cause").asText()).contains("test_refuses_bad_payouts");
        assertThat(payouts.get(0).get("firstFailure").asText()).isNotBlank();
        assertThat(payouts).extracting(l -> l.get("eventType").asText()).contains("PayoutTriggeredEvent");
        // bonds: the handler threw; the letter is stored although the failed insert had aborted the transaction
        JsonNode bonds = byReadModel.get("bonds").get(0);
        assertThat(bonds.get("bondId").asText()).isEqualTo(BAD_BONDS);
        assertThat(bonds.get("cause").asText()).contains("test_refuses_bad_bonds");

        // every other bond is served, and the stuck bond in every other read model
        for (String bond : GOOD) {
            assertThat(read("payer", "/api/bonds/" + bond + "/payouts").get("totalItems").asInt()).as(bond).isEqualTo(1);
            assertThat(read("arranger", "/api/bonds/" + bond).get("bondId").asText()).isEqualTo(bond);
        }
        assertThat(read("payer", "/api/bonds/" + BAD_PAYOUTS + "/payouts").get("totalItems").asInt()).isZero();
        assertThat(read("investor", "/api/bonds/" + BAD_PAYOUTS + "/performance").at("/total/approved").asInt()).isEqualTo(1);
        assertThat(read("payer", "/api/bonds/" + BAD_PAYOUTS + "/liabilities").at("/payers/0/due/amount").asText())
                .isEqualTo("2750.00");
        assertThat(node.api("arranger").get("/api/bonds/" + BAD_BONDS).status()).isEqualTo(404);

        // loud: readiness (not liveness) names the read model, the bond and the event; so do the admin view and the gauge
        Api.Response readiness = node.api("admin").get("/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("DEGRADED");
        JsonNode health = readiness.json().at("/components/readModels");
        assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.at("/details/deadLetters/payouts").asInt()).isEqualTo(payouts.size());
        assertThat(health.at("/details/letters").findValuesAsText("bondId")).contains(BAD_PAYOUTS, BAD_BONDS);
        assertThat(health.at("/details/letters").findValuesAsText("eventType")).contains("BondStructuredEvent");
        assertThat(node.api("admin").get("/actuator/health/liveness").json().get("status").asText()).isEqualTo("UP");
        // the arranger's page of the bond lists them, read-only; an investor's page of the same bond does not
        String arrangerPage = Pages.get(node.node().baseUrl(), "arranger", "/app/bonds/" + BAD_PAYOUTS);
        assertThat(arrangerPage).contains("data-testid=\"dead-letters\"");
        String shown = arrangerPage.substring(arrangerPage.indexOf("data-testid=\"dead-letters\""));
        shown = shown.substring(0, shown.indexOf("</section>"));
        assertThat(shown).contains("payouts", "BondStructuredEvent", "PayoutTriggeredEvent", "test_refuses_bad_payouts")
                .doesNotContain("<form", "<button");
        // in Hebrew: the view, the event and why in words, the technical names beside them for the operator
        String hebrewPage = Pages.get(node.node().baseUrl(), "arranger", "/app/bonds/" + BAD_PAYOUTS + "?lang=he");
        String hebrew = hebrewPage.substring(hebrewPage.indexOf("data-testid=\"dead-letters\""));
        hebrew = hebrew.substring(0, hebrew.indexOf("</section>"));
        assertThat(hebrew).contains("תשלומים", "האגרה נוצרה", "תשלום נוצר", "מסד הנתונים סירב לשמור אותו:")
                .contains("BondStructuredEvent", "test_refuses_bad_payouts").doesNotContain("The view failed on it");
        assertThat(Pages.get(node.node().baseUrl(), "investor", "/app/bonds/" + BAD_PAYOUTS))
                .doesNotContain("data-testid=\"dead-letters\"");
        JsonNode status = read("admin", "/api/admin/projections");
        assertThat(status.at("/payouts/deadLetters").asInt()).isEqualTo(payouts.size());
        assertThat(status.at("/payouts/stuck/0/bondId").asText()).isEqualTo(BAD_PAYOUTS);
        assertThat(status.at("/history/deadLetters").asInt()).isZero();
        // a command on the stuck bond answers at once, saying which views are behind; another bond's answer does not
        long started = System.nanoTime();
        Api.Response stuck = node.api("provider").post("/api/bonds/" + BAD_PAYOUTS + "/cohorts", """
                {"cohortId": "c2", "name": "Cohort 2", "size": 10, "startDate": "2019-04-01"}""");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(stuck.status()).as(stuck.toString()).isEqualTo(201);
        assertThat(stuck.viewsBehind()).isEqualTo("payouts");
        assertThat(took).as("answer time of a stuck bond's command").isLessThan(Duration.ofSeconds(2));
        Api.Response good = node.api("provider").post("/api/bonds/" + GOOD.get(0) + "/cohorts", """
                {"cohortId": "c2", "name": "Cohort 2", "size": 10, "startDate": "2019-04-01"}""");
        assertThat(good.status()).as(good.toString()).isEqualTo(201);
        assertThat(good.viewsBehind()).isNull();
        // and the good bond's answer came after its read models had it: read-your-writes on its own progress row
        long head = node.sql().queryForObject(
                "SELECT max(sequencenumber) FROM domainevententry WHERE aggregateidentifier = ?", Long.class, GOOD.get(0));
        assertThat(read("investor", "/api/bonds/" + GOOD.get(0) + "/history?size=500").get("items")).hasSize((int) head + 1);
        long processed = node.sql().queryForObject("SELECT last_sequence FROM read_model_progress WHERE bond_id = ?",
                Long.class, GOOD.get(0));
        assertThat(processed).isEqualTo(head);

        String prometheus = node.api("admin").get("/actuator/prometheus").body();
        assertThat(prometheus).containsPattern("sib_processor_dead_letters\\{[^}]*read_model=\"payouts\"[^}]*} "
                + payouts.size() + "\\.0");

        // the other bonds equal a rebuild (which letters the same events again, the constraints being still there)
        Map<String, List<String>> others = tablesWithout(BAD_PAYOUTS, BAD_BONDS);
        ReadModelTables.replayAll(node.api("admin"));
        awaitLetters(letters.get("items").size());
        assertThat(tablesWithout(BAD_PAYOUTS, BAD_BONDS)).isEqualTo(others);
    }

    @Test
    @Order(2)
    void afterTheFixTheOperatorRetriesAndTheBondCatchesUp() {
        assertThat(node.api("arranger").post("/api/admin/dead-letters/retry", "").status()).isEqualTo(403);
        // while the cause is there, a retry fails again and the letters stay
        JsonNode again = node.api("admin").post("/api/admin/dead-letters/payouts/" + BAD_PAYOUTS + "/retry",
                "{\"reason\": \"first try\"}").expect(200);
        assertThat(again.get("succeeded").asBoolean()).isFalse();
        assertThat(again.get("lettersLeft").asInt()).isPositive();

        node.sql().execute("ALTER TABLE payout_bond DROP CONSTRAINT test_refuses_bad_payouts");
        JsonNode retried = node.api("admin").post("/api/admin/dead-letters/retry",
                "{\"reason\": \"constraint removed\"}").expect(200);
        Map<String, Boolean> outcomes = new java.util.TreeMap<>();
        retried.get("results").forEach(r -> outcomes.put(r.get("readModel").asText() + "/" + r.get("bondId").asText(),
                r.get("succeeded").asBoolean()));
        assertThat(outcomes).containsEntry("payouts/" + BAD_PAYOUTS, true).containsEntry("bonds/" + BAD_BONDS, false);
        assertThat(read("payer", "/api/bonds/" + BAD_PAYOUTS + "/payouts").get("totalItems").asInt()).isEqualTo(1);
        assertThat(read("admin", "/api/admin/dead-letters?readModel=payouts").get("items")).isEmpty();

        // the bond's new events are handled at once again, not lettered behind a sequence that is gone
        String payout = read("payer", "/api/bonds/" + BAD_PAYOUTS + "/payouts").at("/items/0/payoutId").asText();
        node.api("payer").post("/api/bonds/" + BAD_PAYOUTS + "/payouts/" + payout + "/settlement", "").expect(200);
        await().atMost(WAIT).until(() -> read("payer", "/api/bonds/" + BAD_PAYOUTS + "/payouts")
                .at("/items/0/status").asText().equals("SETTLED"));

        List<Map<String, Object>> audit = node.sql().queryForList(
                "SELECT actor, action, read_model, bond_id, reason, succeeded FROM read_model_action ORDER BY id");
        assertThat(audit).extracting(a -> a.get("actor") + " " + a.get("action") + " " + a.get("read_model") + " "
                        + a.get("bond_id") + " " + a.get("reason") + " " + a.get("succeeded"))
                .contains("admin retry payouts bad-payouts first try false",
                        "admin retry payouts bad-payouts constraint removed true",
                        "admin retry bonds bad-bonds constraint removed false");
    }

    @Test
    @Order(3)
    void aLetterIsSkippedOnlyWithAReasonAndAReplayAfterTheFixEqualsAFreshOne() {
        JsonNode letter = read("admin", "/api/admin/dead-letters?readModel=bonds&bondId=" + BAD_BONDS).at("/items/0");
        String path = "/api/admin/dead-letters/bonds/letters/" + letter.get("id").asText() + "/skip";
        assertThat(node.api("admin").post(path, "").status()).isEqualTo(400);
        assertThat(node.api("admin").post("/api/admin/dead-letters/bonds/letters/nothing/skip",
                "{\"reason\": \"x\"}").status()).isEqualTo(404);
        JsonNode skipped = node.api("admin").post(path, "{\"reason\": \"ticket 42: bond withdrawn\"}").expect(200);
        assertThat(skipped.get("bondId").asText()).isEqualTo(BAD_BONDS);
        assertThat(skipped.get("lettersLeft").asInt()).isZero();
        assertThat(node.sql().queryForObject("""
                SELECT count(*) FROM read_model_action WHERE action = 'skip' AND actor = 'admin' AND bond_id = ?
                AND reason = 'ticket 42: bond withdrawn' AND event_id = ? AND sequence_number = 0""", Integer.class,
                BAD_BONDS, letter.get("eventId").asText())).isEqualTo(1);

        Api.Response readiness = node.api("admin").await("/actuator/health/readiness",
                r -> r.json().get("status").asText().equals("UP"));
        assertThat(readiness.json().get("status").asText()).as(readiness.body()).isEqualTo("UP");
        assertThat(read("admin", "/api/admin/projections").at("/bonds/deadLetters").asInt()).isZero();

        // the skipped event is missing from the bonds read model until a rebuild, which, the cause being gone, handles it
        node.sql().execute("ALTER TABLE bond_view DROP CONSTRAINT test_refuses_bad_bonds");
        ReadModelTables.replayAll(node.api("admin"));
        assertThat(read("arranger", "/api/bonds/" + BAD_BONDS).get("bondId").asText()).isEqualTo(BAD_BONDS);
        ReadModelTables.assertEqualToReplay(node.sql(), node.api("admin"), "after the fix");
        assertThat(read("admin", "/api/admin/dead-letters").get("items")).isEmpty();
    }

    private static JsonNode awaitLetters(int atLeast) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(WAIT).until(() -> {
            last[0] = read("admin", "/api/admin/dead-letters");
            return last[0].get("items").size() >= atLeast;
        });
        return last[0];
    }

    /** Every read-model row that does not mention the given bonds. */
    private static Map<String, List<String>> tablesWithout(String... bonds) {
        return ReadModelTables.of(node.sql()).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().stream().filter(row -> java.util.Arrays.stream(bonds).noneMatch(row::contains)).toList(),
                (a, b) -> a, java.util.TreeMap::new));
    }

    private static void fundAndApproveOneClaim(String bond) {
        String path = "/api/bonds/" + bond;
        node.api("investor").post(path + "/commitments", """
                {"tranche": "senior", "amount": "30000.00"}""").expect(201);
        node.api("arranger").post(path + "/opening", "").expect(200);
        String callId = node.api("arranger").post(path + "/capital-calls", """
                {"amount": "20000.00", "dueDate": "%s"}""".formatted(TODAY)).expect(201).get("callId").asText();
        node.api("investor").post(path + "/capital-calls/" + callId + "/fundings", """
                {"amount": "20000.00"}""").expect(201);
        node.api("provider").post(path + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2018-10-01"}""").expect(201);
        node.api("provider").post(path + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}]""").expect(201);
        String measurement = node.api("evaluator").post(path + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-1", "claims": [{"participantRef": "p-1",
                 "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "evidence-1"}]}""").expect(202)
                .get("measurementId").asText();
        node.api("payer").post(path + "/measurements/" + measurement + "/decision", """
                {"decision": "APPROVE", "reason": "checked"}""").expect(200);
    }

    private static JsonNode read(String user, String path) {
        Api.Response response = node.api(user).get(path);
        assertThat(response.status()).as(path + " -> " + response).isEqualTo(200);
        return response.json();
    }


    private static String terms(String bondId) {
        return """
                {
                  "bondId": "%s", "name": "Bond %s", "currency": "GBP", "contractCap": "10000.00",
                  "serviceStart": "2018-10-01", "serviceEnd": "2022-03-31",
                  "parties": {
                    "arranger": "arranger", "serviceProviders": ["provider"],
                    "outcomePayers": [{"id": "payer", "share": "1.0", "cap": "2250000.00"}],
                    "evaluators": ["evaluator"], "investors": ["investor"]
                  },
                  "metrics": [{"id": "earns-768", "name": "Earns GBP 768", "repeatable": false}],
                  "paymentMechanism": {"type": "RATE_CARD",
                    "prices": [{"metric": "earns-768", "price": "2750.00", "metricCap": null}], "perParticipantCap": null},
                  "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}
                }""".formatted(bondId, bondId);
    }
}
