package org.sibledger.api.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.ReadModelTables;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole bond over REST on real PostgreSQL, with every read model checked against figures worked out here by hand:
 * a GBP 2,750 rate card under a GBP 10,000 contract cap, two senior investors (30,000 and 10,000 committed), seven
 * claims of which four are approved (the fourth is cut by the cap to 1,750 with 1,000 capped, then disputed), one
 * rejected, one disputed before any decision and one left in the queue; two payouts settled and 5,500 distributed a
 * year after funding. Reads follow writes directly, without waiting: the API answers a POST only once the read
 * models have its events. Then every read model is rebuilt from the event store and must equal what it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeBondApiTest {

    private static final String BOND = "/api/bonds/whole-bond";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    @Test
    @Order(1)
    void aWholeBondGivesTheFiguresWorkedOutByHand() {
        node.api("arranger").post("/api/bonds", terms()).expect(201);
        node.api("investor").post(BOND + "/commitments", """
                {"tranche": "senior", "amount": "30000.00"}""").expect(201);
        node.api("investor2").post(BOND + "/commitments", """
                {"tranche": "senior", "amount": "10000.00"}""").expect(201);
        node.api("arranger").post(BOND + "/opening", "").expect(200);
        String callId = node.api("arranger").post(BOND + "/capital-calls", """
                {"amount": "20000.00", "dueDate": "%s"}""".formatted(TODAY)).expect(201).get("callId").asText();
        node.api("investor").post(BOND + "/capital-calls/" + callId + "/fundings", """
                {"amount": "15000.00"}""").expect(201);
        node.api("investor2").post(BOND + "/capital-calls/" + callId + "/fundings", """
                {"amount": "5000.00"}""").expect(201);
        node.api("provider").post(BOND + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2018-10-01"}""").expect(201);
        node.api("provider").post(BOND + "/cohorts", """
                {"cohortId": "c2", "name": "Cohort 2", "size": 10, "startDate": "2019-04-01"}""").expect(201);
        node.api("provider").post(BOND + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}, {"participantRef": "p-3"}, {"participantRef": "p-4"}]""").expect(201);
        node.api("provider").post(BOND + "/cohorts/c2/participants", """
                [{"participantRef": "p-5"}, {"participantRef": "p-6"}, {"participantRef": "p-7"}]""").expect(201);

        String m1 = claim("p-1"), m2 = claim("p-2"), m3 = claim("p-5"), m4 = claim("p-3"), m5 = claim("p-6"),
                m6 = claim("p-4"), m7 = claim("p-7");
        decide(m1, "APPROVE");
        decide(m2, "APPROVE");
        decide(m3, "APPROVE");
        decide(m4, "REJECT");
        decide(m5, "APPROVE");
        decide(m5, "DISPUTE");
        decide(m6, "DISPUTE");

        JsonNode payouts = read("payer", BOND + "/payouts");
        assertThat(payouts.get("totalItems").asInt()).isEqualTo(4);
        Map<String, JsonNode> byMeasurement = new LinkedHashMap<>();
        payouts.get("items").forEach(p -> byMeasurement.put(p.get("measurementId").asText(), p));
        assertThat(byMeasurement.keySet()).containsExactly(m1, m2, m3, m5);
        assertThat(byMeasurement.get(m5).at("/amount/amount").asText()).isEqualTo("1750.00");
        assertThat(byMeasurement.get(m5).at("/capped/amount").asText()).isEqualTo("1000.00");
        assertThat(byMeasurement.get(m5).get("status").asText()).isEqualTo("HELD");
        node.api("payer").post(BOND + "/payouts/" + byMeasurement.get(m1).get("payoutId").asText() + "/settlement", "").expect(200);
        node.api("payer").post(BOND + "/payouts/" + byMeasurement.get(m3).get("payoutId").asText() + "/settlement", "").expect(200);
        node.api("arranger").post(BOND + "/distributions", """
                {"amount": "5500.00", "date": "%s"}""".formatted(TODAY.plusDays(365))).expect(201);

        // performance: c1 has claims p-1, p-2 (approved), p-3 (rejected), p-4 (disputed); c2 p-5, p-6 (approved), p-7
        JsonNode performance = read("investor2", BOND + "/performance");
        assertFigures(performance.get("total"), 7, 4, 1, "10000.00", "1000.00", "5500.00");
        assertThat(performance.get("metrics")).hasSize(2);
        assertThat(performance.at("/metrics/0/cohortId").asText()).isEqualTo("c1");
        assertFigures(performance.at("/metrics/0/figures"), 4, 2, 1, "5500.00", "0.00", "2750.00");
        assertThat(performance.at("/metrics/1/cohortId").asText()).isEqualTo("c2");
        assertFigures(performance.at("/metrics/1/figures"), 3, 2, 0, "4500.00", "1000.00", "2750.00");
        assertThat(performance.at("/caps/0/kind").asText()).isEqualTo("CONTRACT");
        assertThat(performance.at("/caps/0/used/amount").asText()).isEqualTo("10000.00");
        assertThat(performance.at("/caps/0/headroom/amount").asText()).isEqualTo("0.00");
        assertThat(performance.at("/caps/1/subject").asText()).isEqualTo("payer");
        assertThat(performance.at("/caps/1/headroom/amount").asText()).isEqualTo("2240000.00");
        // outcomes count in the month they were achieved (June 2019), with their payouts; settlements when settled
        assertThat(performance.get("months")).hasSize(2);
        assertThat(performance.at("/months/0/month").asText()).isEqualTo("2019-06");
        assertFigures(performance.at("/months/0/figures"), 7, 4, 1, "10000.00", "1000.00", "0.00");
        assertThat(performance.at("/months/1/month").asText()).isEqualTo(TODAY.toString().substring(0, 7));
        assertFigures(performance.at("/months/1/figures"), 0, 0, 0, "0.00", "0.00", "5500.00");
        JsonNode before = read("investor", BOND + "/performance?asOf=" + TODAY.minusDays(1));
        assertFigures(before.get("total"), 7, 4, 1, "10000.00", "1000.00", "0.00");
        JsonNode beforeTheOutcomes = read("investor", BOND + "/performance?asOf=2019-05-31");
        assertFigures(beforeTheOutcomes.get("total"), 0, 0, 0, "0.00", "0.00", "0.00");

        // the payer's queue and the evaluator's submissions
        JsonNode queue = read("payer", BOND + "/measurements?status=SUBMITTED");
        assertThat(queue.get("totalItems").asInt()).isEqualTo(1);
        assertThat(queue.at("/items/0/measurementId").asText()).isEqualTo(m7);
        assertThat(queue.at("/items/0/evidenceRefs/0").asText()).isEqualTo("batch-p-7");
        assertThat(queue.at("/items/0/evidenceRefs/1").asText()).isEqualTo("evidence-p-7");
        JsonNode disputed = read("arranger", BOND + "/measurements?status=DISPUTED");
        assertThat(disputed.get("items").findValuesAsText("measurementId")).containsExactly(m5, m6);
        assertThat(disputed.at("/items/0/payable/amount").asText()).isEqualTo("1750.00");
        assertThat(read("evaluator", BOND + "/measurements").get("totalItems").asInt()).isEqualTo(7);
        JsonNode one = read("evaluator", BOND + "/measurements/" + m5);
        assertThat(one.get("status").asText()).isEqualTo("DISPUTED");
        assertThat(one.get("decidedBy").asText()).isEqualTo("payer");
        assertThat(one.at("/capped/amount").asText()).isEqualTo("1000.00");
        assertThat(node.api("investor").get(BOND + "/measurements/" + m5).status()).isEqualTo(403);
        assertThat(node.api("payer").get(BOND + "/measurements/m-none").status()).isEqualTo(404);

        // liabilities: due m2's 2,750; held m5's 1,750; settled m1 and m3
        JsonNode liabilities = read("payer", BOND + "/liabilities");
        assertThat(liabilities.at("/payers/0/payerId").asText()).isEqualTo("payer");
        assertThat(liabilities.at("/payers/0/due/amount").asText()).isEqualTo("2750.00");
        assertThat(liabilities.at("/payers/0/held/amount").asText()).isEqualTo("1750.00");
        assertThat(liabilities.at("/payers/0/settled/amount").asText()).isEqualTo("5500.00");
        assertThat(liabilities.at("/payers/0/headroom/amount").asText()).isEqualTo("2240000.00");
        assertThat(liabilities.at("/contractHeadroom/amount").asText()).isEqualTo("0.00");

        // portfolio: 15,000 of 20,000 funded by investor, so 3/4 of the 5,500 principal repaid; a year later
        JsonNode portfolio = read("investor", "/api/investors/investor/portfolio");
        JsonNode position = portfolio.at("/positions/0");
        assertThat(position.at("/committed/amount").asText()).isEqualTo("30000.00");
        assertThat(position.at("/called/amount").asText()).isEqualTo("15000.00");
        assertThat(position.at("/funded/amount").asText()).isEqualTo("15000.00");
        assertThat(position.at("/distributed/amount").asText()).isEqualTo("4125.00");
        assertThat(position.get("multiple").asText()).isEqualTo("0.2750");
        BigDecimal expectedIrr = new BigDecimal("4125").divide(new BigDecimal("15000")).subtract(BigDecimal.ONE);
        assertThat(new BigDecimal(position.get("irr").asText())).isEqualByComparingTo(expectedIrr);
        JsonNode other = read("investor2", "/api/investors/investor2/portfolio");
        assertThat(other.at("/positions/0/distributed/amount").asText()).isEqualTo("1375.00");
        assertThat(node.api("investor2").get("/api/investors/investor/portfolio").status()).isEqualTo(403);

        JsonNode history = read("investor", BOND + "/history?size=500");
        assertThat(history.get("items")).hasSize(events());
        assertThat(history.at("/items/0/type").asText()).isEqualTo("BondStructured");
        assertThat(history.at("/items/0/actor").asText()).isEqualTo("arranger");
        assertThat(history.at("/items/1/previousHash").asText()).isEqualTo(history.at("/items/0/hash").asText());

        // INDIGO: settled payouts are Actual payments, approved and unsettled ones (m2 due, m5 held) Planned
        JsonNode indigo = read("arranger", BOND + "/export/indigo").get("project");
        assertThat(indigo.get("id").asText()).isEqualTo("whole-bond");
        JsonNode data = indigo.get("data");
        assertThat(data.at("/name/value").asText()).isEqualTo("Whole bond");
        assertThat(data.at("/stage_development/value").asText()).isEqualTo("Implementation");
        assertThat(data.at("/outcome_metrics/0/id").asText()).isEqualTo("earns-768");
        assertThat(data.at("/outcome_pricings/0/price_per_unit/amount/value").decimalValue()).isEqualByComparingTo("2750");
        assertThat(data.at("/overall_project_finance/maximum_potential_outcome_payment_v2/amount/value").decimalValue())
                .isEqualByComparingTo("10000");
        assertThat(data.at("/overall_project_finance/total_investment_commitment/amount/exact/value").decimalValue())
                .isEqualByComparingTo("40000");
        assertThat(data.at("/overall_project_finance/total_outcome_payments_made/amount/value").decimalValue())
                .isEqualByComparingTo("5500");
        Map<String, BigDecimal> payments = new LinkedHashMap<>();
        data.get("outcome_payments").forEach(p -> payments.put(p.at("/type/value").asText() + " "
                + p.at("/payer_organisation_id/value").asText() + " " + p.at("/outcome_metric_id/value").asText(),
                p.at("/money/amount/value").decimalValue()));
        assertThat(payments).hasSize(2);
        assertThat(payments.get("Actual payer earns-768")).isEqualByComparingTo("5500");
        assertThat(payments.get("Planned payer earns-768")).isEqualByComparingTo("4500");
        assertThat(data.at("/results/0/number_with_positive_social_outcomes/value").asInt()).isEqualTo(4);
        assertThat(data.get("investments").findValuesAsText("id")).containsExactly("investor-senior", "investor2-senior");
        assertThat(data.at("/investments/0/investment_commitment/amount/exact/value").decimalValue())
                .isEqualByComparingTo("30000");
        assertThat(node.api("payer").get(BOND + "/export/indigo").status()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void everyReadModelRebuiltFromTheEventStoreEqualsTheLiveOne() {
        Map<String, List<String>> live = readModelTables();
        assertThat(live.get("performance_fact")).isNotEmpty();
        node.sql().update("DELETE FROM performance_fact");
        node.sql().update("UPDATE measurement_view SET status = 'APPROVED'");
        Api.Response replay = node.api("admin").post("/api/admin/projections/all/replay", "");
        replay.expect(202);
        assertThat(replay.json().get("replaying")).hasSize(7);
        Api.Response status = node.api("admin").await("/api/admin/projections", r -> {
            JsonNode all = r.json();
            boolean done = all.size() == 7;
            for (JsonNode processor : all) {
                done &= processor.get("caughtUp").asBoolean() && !processor.get("replaying").asBoolean();
            }
            return done;
        });
        status.json().forEach(p -> assertThat(p.get("caughtUp").asBoolean()).as(status.body()).isTrue());
        assertThat(readModelTables()).isEqualTo(live);
        // the seven read models are processing groups of one processor, so each event is read once for all of them
        status.json().forEach(p -> assertThat(p.get("processor").asText()).isEqualTo("read-models"));
        var processing = node.bean(org.axonframework.config.EventProcessingConfiguration.class);
        assertThat(processing.eventProcessors().keySet()).containsExactlyInAnyOrder("read-models", "kafka-publisher");
        // each read model keeps a dead-letter queue of its own, so one that cannot handle an event holds up no other
        for (var readModel : status.json().properties()) {
            assertThat(processing.deadLetterQueue(readModel.getKey())).as(readModel.getKey()).isPresent();
        }
        // and rebuilding one of them rebuilds all seven, which the answer says
        Api.Response one = node.api("admin").post("/api/admin/projections/portfolio/replay", "");
        one.expect(202);
        assertThat(one.json().get("replaying")).hasSize(7);
        node.api("admin").await("/api/admin/projections", r -> {
            boolean done = true;
            for (JsonNode processor : r.json()) {
                done &= processor.get("caughtUp").asBoolean() && !processor.get("replaying").asBoolean();
            }
            return done;
        });
        assertThat(readModelTables()).isEqualTo(live);
        assertThat(node.api("arranger").post("/api/admin/projections/all/replay", "").status()).isEqualTo(403);
        assertThat(node.api("admin").post("/api/admin/projections/nothing/replay", "").status()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndAnotherBodyIsRefused() {
        String body = """
                {"amount": "1000.00", "dueDate": "%s"}""".formatted(TODAY);
        Api.Response first = node.api("arranger").postWithKey(BOND + "/capital-calls", body, "call-2");
        first.expect(201);
        int events = events();
        Api.Response again = node.api("arranger").postWithKey(BOND + "/capital-calls", body, "call-2");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.replayed()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.location()).isEqualTo(first.location());
        Api.Response other = node.api("arranger").postWithKey(BOND + "/capital-calls", body.replace("1000.00", "2000.00"),
                "call-2");
        assertThat(other.status()).as(other.toString()).isEqualTo(409);
        assertThat(other.json().get("type").asText()).endsWith("/idempotency-key-reused");
        assertThat(events()).isEqualTo(events);
        // keys belong to their principal: another one may use the same key for its own request
        Api.Response anotherPrincipal = node.api("provider").postWithKey(BOND + "/cohorts", """
                {"cohortId": "c3", "name": "Cohort 3", "size": 5, "startDate": "2020-01-01"}""", "call-2");
        anotherPrincipal.expect(201);
        assertThat(node.api("arranger").postWithKey(BOND + "/opening", "", "x".repeat(201)).status()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void theReplaySwitchRebuildsEveryReadModelAtStart() {
        Map<String, List<String>> live = readModelTables();
        // damage two read models behind the ledger's back: only a rebuild from the event store repairs them
        node.sql().update("DELETE FROM history_event");
        node.sql().update("UPDATE portfolio_line SET amount = amount + 1");
        node.restart("--replay=all");
        Api.Response status = node.api("admin").await("/api/admin/projections", r -> {
            boolean done = true;
            for (JsonNode processor : r.json()) {
                done &= processor.get("caughtUp").asBoolean() && !processor.get("replaying").asBoolean();
            }
            return done;
        });
        status.json().forEach(p -> assertThat(p.get("caughtUp").asBoolean()).as(status.body()).isTrue());
        assertThat(readModelTables()).isEqualTo(live);
    }

    private static void assertFigures(JsonNode figures, int submitted, int approved, int rejected, String triggered,
                                      String capped, String settled) {
        assertThat(figures.get("submitted").asInt()).as(figures.toString()).isEqualTo(submitted);
        assertThat(figures.get("approved").asInt()).as(figures.toString()).isEqualTo(approved);
        assertThat(figures.get("rejected").asInt()).as(figures.toString()).isEqualTo(rejected);
        assertThat(figures.at("/triggered/amount").asText()).as(figures.toString()).isEqualTo(triggered);
        assertThat(figures.at("/capped/amount").asText()).as(figures.toString()).isEqualTo(capped);
        assertThat(figures.at("/settled/amount").asText()).as(figures.toString()).isEqualTo(settled);
    }

    private static String claim(String participant) {
        return node.api("evaluator").post(BOND + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-%s", "claims": [{"participantRef": "%s",
                 "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "evidence-%s"}]}"""
                .formatted(participant, participant, participant)).expect(202)
                .get("measurementId").asText();
    }

    private static void decide(String measurementId, String decision) {
        node.api("payer").post(BOND + "/measurements/" + measurementId + "/decision", """
                {"decision": "%s", "reason": "checked"}""".formatted(decision)).expect(200);
    }

    private static JsonNode read(String user, String path) {
        Api.Response response = node.api(user).get(path);
        assertThat(response.status()).as(path + " -> " + response).isEqualTo(200);
        return response.json();
    }


    private static int events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'whole-bond'",
                Integer.class);
    }

    private static Map<String, List<String>> readModelTables() {
        return ReadModelTables.of(node.sql());
    }

    private static String terms() {
        return """
                {
                  "bondId": "whole-bond", "name": "Whole bond", "currency": "GBP", "contractCap": "10000.00",
                  "serviceStart": "2018-10-01", "serviceEnd": "2022-03-31",
                  "parties": {
                    "arranger": "arranger", "serviceProviders": ["provider"],
                    "outcomePayers": [{"id": "payer", "share": "1.0", "cap": "2250000.00"}],
                    "evaluators": ["evaluator"], "investors": ["investor", "investor2"]
                  },
                  "metrics": [{"id": "earns-768", "name": "Earns GBP 768", "repeatable": false}],
                  "paymentMechanism": {"type": "RATE_CARD",
                    "prices": [{"metric": "earns-768", "price": "2750.00", "metricCap": null}], "perParticipantCap": null},
                  "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}
                }""";
    }
}
