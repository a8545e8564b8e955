package org.sibledger.api.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With --demo every demo bond has lived its life: an investor's first look shows each bond funded, distributions
 * received and an IRR; payouts were settled; the Tel Aviv bond's dispute was resolved by the reviewer; outcomes are
 * dated across the service period; and loading the demo again records nothing new.
 */
class DemoStoriesTest {

    private static final List<String> BONDS = List.of("reboot-west", "peterborough", "educate-girls",
            "tel-aviv-loneliness", "families-employment");

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension("--demo");

    @Test
    void everyDemoBondHasLivedItsLife() {
        for (String investor : List.of("investor", "investor2")) {
            JsonNode positions = node.api(investor).await("/api/investors/" + investor + "/portfolio",
                    r -> r.status() == 200 && r.json().get("positions").size() >= BONDS.size() - 1).json().get("positions");
            Map<String, JsonNode> byBond = new HashMap<>();
            positions.forEach(p -> byBond.put(p.get("bondId").asText(), p));
            // Educate Girls had one investor
            assertThat(byBond.keySet()).as(investor).containsExactlyInAnyOrderElementsOf(investor.equals("investor")
                    ? BONDS : BONDS.stream().filter(b -> !b.equals("educate-girls")).toList());
            for (JsonNode position : positions) {
                String what = investor + " in " + position.get("bondId").asText();
                assertThat(amount(position, "funded")).as(what + " funded").isPositive();
                assertThat(amount(position, "distributed")).as(what + " distributed").isPositive();
                assertThat(position.get("irr").isNull()).as(what + " has an IRR").isFalse();
                assertThat(position.get("multiple").isNull()).as(what + " has a multiple").isFalse();
                assertThat(position.get("cashFlows").size()).as(what + " cash flows on several days").isGreaterThan(2);
            }
        }
        // Tel Aviv: NIS 1.6m from the anchor and 0.7m from the crowd, all called and funded
        assertThat(amount(position("investor", "tel-aviv-loneliness"), "funded")).isEqualByComparingTo("1600000");
        assertThat(amount(position("investor2", "tel-aviv-loneliness"), "funded")).isEqualByComparingTo("700000");
        // Peterborough reported capital plus about 3% a year
        assertThat(new BigDecimal(position("investor", "peterborough").get("irr").asText()))
                .isBetween(new BigDecimal("0.02"), new BigDecimal("0.05"));

        for (String bond : BONDS) {
            JsonNode payouts = node.api("arranger").await("/api/bonds/" + bond + "/payouts?size=500",
                    r -> r.status() == 200).json();
            List<String> statuses = new ArrayList<>();
            payouts.get("items").forEach(p -> statuses.add(p.get("status").asText()));
            assertThat(statuses).as(bond + " has settled payouts").contains("SETTLED");
        }
    }

    @Test
    void telAvivFollowsItsPublishedFactsAndItsDisputeWasResolvedByTheReviewer() {
        String bond = "/api/bonds/tel-aviv-loneliness";
        JsonNode disputed = node.api("payer").await(bond + "/measurements/q-2022Q3",
                r -> r.status() == 200 && r.body().contains("APPROVED")).json();
        assertThat(disputed.get("status").asText()).isEqualTo("APPROVED");
        assertThat(disputed.get("decidedBy").asText()).isEqualTo("reviewer");
        JsonNode history = node.api("arranger").await(bond + "/history?size=500",
                r -> r.status() == 200 && r.body().contains("BondMatured")).json();
        List<String> types = new ArrayList<>();
        List<String> days = new ArrayList<>();
        history.get("items").forEach(e -> {
            types.add(e.get("type").asText());
            days.add(e.get("occurredAt").asText().substring(0, 10));
        });
        assertThat(types).anyMatch(t -> t.contains("MeasurementDisputed"))
                .anyMatch(t -> t.contains("DisputeResolved")).anyMatch(t -> t.contains("DistributionMade"))
                .anyMatch(t -> t.contains("BondMatured"));
        // the life is dated as it was lived: from its structuring in 2020 to its maturity in 2023, in order
        assertThat(days.get(0)).startsWith("2020-");
        assertThat(days).isSorted();
        assertThat(days.get(days.size() - 1)).startsWith("2023-");
        // 200 older people in two intakes; the highest tier reached in the end pays NIS 2,530,000 in all
        JsonNode payouts = node.api("payer").get(bond + "/payouts?size=100").expect(200);
        assertThat(decimal(payouts.at("/totals/booked/amount"))).isEqualByComparingTo("2530000");
        assertThat(decimal(payouts.at("/totals/settled/amount"))).isEqualByComparingTo("2530000");
        JsonNode performance = node.api("investor").get(bond + "/performance").expect(200);
        assertThat(decimal(performance.at("/targets/0/achieved"))).isEqualByComparingTo("0.31");
    }

    @Test
    void theFamiliesBondReachesThePilotsFiguresAndLeavesWorkForThePayers() {
        JsonNode performance = node.api("investor").await("/api/bonds/families-employment/performance",
                r -> r.status() == 200 && r.body().contains("0.97")).json();
        Map<String, BigDecimal> achieved = new HashMap<>();
        performance.get("targets").forEach(t -> achieved.put(t.get("metric").asText(), decimal(t.get("achieved"))));
        assertThat(achieved.get("families-employed")).isEqualByComparingTo("0.97");
        assertThat(achieved.get("benefit-dependency-fall")).isEqualByComparingTo("0.82");
        // the last quarter's payouts are due and not yet settled, for each payer its share
        JsonNode payouts = node.api("payer").get("/api/bonds/families-employment/payouts?size=500").expect(200);
        List<String> open = new ArrayList<>();
        payouts.get("items").forEach(p -> {
            if (p.get("status").asText().equals("TRIGGERED")) {
                open.add(p.get("payerId").asText());
            }
        });
        assertThat(open).contains("payer");
        // Reboot West's last quarter of claims waits for the payer's decision
        JsonNode waiting = node.api("payer").get("/api/bonds/reboot-west/measurements?status=SUBMITTED").expect(200);
        assertThat(waiting.get("items")).hasSize(1);
        assertThat(waiting.at("/items/0/measurementId").asText()).isEqualTo("q-2022Q1");
    }

    /**
     * The Israeli bonds' pages say, in both languages, what follows published facts and what is illustrative; the
     * Tel Aviv bond's 200 older people are enrolled in its two intakes.
     */
    @Test
    void theIsraeliBondsPagesSayWhatIsPublishedAndWhatIsIllustrative() throws Exception {
        node.api("investor").await("/api/bonds/families-employment", r -> r.status() == 200);
        String families = org.sibledger.api.support.Pages.get(node.node().baseUrl(), "investor",
                "/app/bonds/families-employment?lang=en");
        assertThat(note(families)).contains("The terms of this bond are illustrative").contains("Lehetiv")
                .contains("97%").contains("82%");
        String hebrew = org.sibledger.api.support.Pages.get(node.node().baseUrl(), "investor",
                "/app/bonds/families-employment?lang=he");
        assertThat(note(hebrew)).contains("להמחשה בלבד").contains("97%").contains("82%");
        String telAviv = org.sibledger.api.support.Pages.get(node.node().baseUrl(), "payer",
                "/app/bonds/tel-aviv-loneliness?lang=en");
        assertThat(note(telAviv)).contains("NIS 2.3 million").contains("1.6 million").contains("0.7 million")
                .contains("200 older people").contains("January 2021");
        // a bond of the demo that takes nothing from a published one has no such note
        assertThat(org.sibledger.api.support.Pages.get(node.node().baseUrl(), "investor", "/app/bonds/reboot-west"))
                .doesNotContain("data-testid=\"demo-note\"");

        String evaluator = org.sibledger.api.support.Pages.get(node.node().baseUrl(), "evaluator", "/app/evaluator?lang=en");
        String card = evaluator.substring(evaluator.indexOf("data-bond=\"tel-aviv-loneliness\""));
        assertThat(card.substring(0, card.indexOf("data-testid=\"participant\""))).contains("(200 enrolled in all)");
    }

    private static String note(String page) {
        java.util.regex.Matcher note = java.util.regex.Pattern.compile("data-testid=\"demo-note\">([^<]+)<").matcher(page);
        assertThat(note.find()).as("the bond's page has a note on its facts").isTrue();
        return note.group(1);
    }

    @Test
    void loadingTheDemoAgainRecordsNothingNew() {
        Api.Response before = node.api("investor").await("/api/investors/investor/portfolio",
                r -> r.status() == 200 && r.json().get("positions").size() >= BONDS.size());
        long events = node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
        node.restart("--demo");
        assertThat(node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class)).isEqualTo(events);
        assertThat(node.api("investor").get("/api/investors/investor/portfolio").expect(200))
                .isEqualTo(before.json());
    }

    private static JsonNode position(String investor, String bond) {
        for (JsonNode p : node.api(investor).get("/api/investors/" + investor + "/portfolio").expect(200).get("positions")) {
            if (p.get("bondId").asText().equals(bond)) {
                return p;
            }
        }
        throw new AssertionError(investor + " has no position in " + bond);
    }

    private static BigDecimal amount(JsonNode position, String field) {
        return decimal(position.at("/" + field + "/amount"));
    }

    /** Amounts and figures are decimal strings in the API's JSON. */
    private static BigDecimal decimal(JsonNode value) {
        assertThat(value.isMissingNode() || value.isNull()).as("a figure is there").isFalse();
        return new BigDecimal(value.asText());
    }
}
