package org.sibledger.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to the bonds endpoints gets a specific problem answer and records nothing. */
class BondsApiBadInputTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private final Api arranger = node.api("arranger");

    @Test
    void malformedJsonIsA400WithWhereItBroke() {
        long before = events();
        Api.Response response = arranger.post("/api/bonds", "{\"bondId\": \"broken\", ");
        assertProblem(response, 400, "malformed-json");
        assertThat(response.json().get("detail").asText()).contains("line 1");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void anEmptyBodyIsMalformed() {
        assertProblem(arranger.post("/api/bonds", ""), 400, "malformed-json");
    }

    @Test
    void missingFieldsAreEachNamedByPointer() {
        long before = events();
        Api.Response response = arranger.post("/api/bonds", """
                {"bondId": "missing-fields", "currency": "GBP", "parties": {"arranger": "arranger"}}""");
        assertProblem(response, 422, "invalid-terms");
        assertThat(pointers(response)).contains("/name", "/serviceStart", "/serviceEnd", "/metrics",
                "/paymentMechanism", "/parties/outcomePayers", "/parties/evaluators");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void wrongTypesAreNamedByPointer() {
        String terms = Terms.rateCard("wrong-types")
                .replace("\"repeatable\": false", "\"repeatable\": \"no\"")
                .replace("\"price\": \"2750.00\"", "\"price\": 2750.00");
        Api.Response response = arranger.post("/api/bonds", terms);
        assertProblem(response, 422, "invalid-terms");
        assertThat(pointers(response)).contains("/metrics/0/repeatable", "/paymentMechanism/prices/0/price");
    }

    @Test
    void aCurrencyThatIsNotIso4217IsRefused() {
        long before = events();
        Api.Response response = arranger.post("/api/bonds", Terms.rateCard("bad-currency").replace("\"GBP\"", "\"ABC\""));
        assertProblem(response, 422, "invalid-terms");
        assertThat(pointers(response)).containsExactly("/currency");
        assertThat(response.json().at("/errors/0/message").asText()).contains("ISO 4217");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void moneyFinerThanTheCurrencysMinorUnitIsRefused() {
        Api.Response response = arranger.post("/api/bonds",
                Terms.rateCard("fractional-pence").replace("\"2750.00\"", "\"2750.005\""));
        assertProblem(response, 422, "invalid-terms");
        assertThat(pointers(response)).containsExactly("/paymentMechanism/prices/0/price");
    }

    @Test
    void aDuplicateBondIdIsA409AndKeepsTheFirstBond() {
        assertThat(arranger.post("/api/bonds", Terms.rateCard("duplicate-bond")).status()).isEqualTo(201);
        long before = events();
        Api.Response again = arranger.post("/api/bonds",
                Terms.rateCard("duplicate-bond").replace("Care leavers rate card", "Another name"));
        assertProblem(again, 409, "bond-already-exists");
        assertThat(events()).isEqualTo(before);
        Api.Response bond = arranger.await("/api/bonds/duplicate-bond", r -> r.status() == 200);
        assertThat(bond.json().get("name").asText()).isEqualTo("Care leavers rate card duplicate-bond");
    }

    @Test
    void onlyTheArrangerNamedInTheTermsMayStructureTheBond() {
        long before = events();
        Api.Response response = arranger.post("/api/bonds",
                Terms.rateCard("someone-elses").replace("\"arranger\": \"arranger\"", "\"arranger\": \"bridges\""));
        assertProblem(response, 403, "not-the-arranger");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void otherRolesAndAnonymousCallersCannotStructureBonds() {
        assertThat(node.api("investor").post("/api/bonds", Terms.rateCard("by-investor")).status()).isEqualTo(403);
        assertThat(node.anonymous().post("/api/bonds", Terms.rateCard("by-nobody")).status()).isEqualTo(401);
        assertThat(node.api("arranger", "wrong").post("/api/bonds", Terms.rateCard("wrong-password")).status())
                .isEqualTo(401);
        assertProblem(node.api("arranger").get("/api/bonds/by-investor"), 404, "unknown-bond");
    }

    @Test
    void aBodyThatIsNotJsonIsA415() {
        assertProblem(arranger.post("/api/bonds", "bondId=x", "application/x-www-form-urlencoded"), 415,
                "unsupported-media-type");
    }

    @Test
    void anUnknownBondIsA404AndABondIsHiddenFromNonParties() {
        assertProblem(arranger.get("/api/bonds/no-such-bond"), 404, "unknown-bond");
        assertThat(arranger.post("/api/bonds", Terms.rateCard("private-bond")).status()).isEqualTo(201);
        assertThat(arranger.await("/api/bonds/private-bond", r -> r.status() == 200).status()).isEqualTo(200);
        assertThat(node.api("investor").get("/api/bonds/private-bond").status()).isEqualTo(200);
        assertProblem(node.api("investor2").get("/api/bonds/private-bond"), 404, "unknown-bond");
        assertThat(node.api("investor2").get("/api/bonds").json().get("items").findValuesAsText("bondId"))
                .doesNotContain("private-bond");
        assertThat(node.api("admin").get("/api/bonds/private-bond").status()).isEqualTo(200);
    }

    @Test
    void pageParametersOutOfRangeAreRefused() {
        assertProblem(arranger.get("/api/bonds?size=0"), 422, "invalid-paging");
        assertProblem(arranger.get("/api/bonds?page=-1"), 422, "invalid-paging");
        assertProblem(arranger.get("/api/bonds?size=abc"), 400, "bad-request");
    }

    @Test
    void aCommitmentTheReadModelsCannotStoreIsRefusedAndTheLargestTheyCanIsServed() {
        assertThat(arranger.post("/api/bonds", Terms.rateCard("huge-commitment")).status()).isEqualTo(201);
        Api investor = node.api("investor");
        long before = events();
        Api.Response refused = investor.post("/api/bonds/huge-commitment/commitments",
                "{\"tranche\": \"senior\", \"amount\": \"1234567890123456789012345678901234567890\"}");
        assertProblem(refused, 422, "amount-out-of-range");
        assertThat(pointers(refused)).containsExactly("/amount");
        assertProblem(investor.post("/api/bonds/huge-commitment/commitments",
                "{\"tranche\": \"senior\", \"amount\": \"1000000000000000.00\"}"), 422, "amount-out-of-range");
        assertThat(events()).isEqualTo(before);

        assertThat(investor.post("/api/bonds/huge-commitment/commitments",
                "{\"tranche\": \"senior\", \"amount\": \"999999999999999.99\"}").status()).isEqualTo(201);
        // served by the read models, which stored it
        assertThat(investor.await("/api/investors/investor/portfolio", r -> r.body().contains("huge-commitment")).body())
                .contains("999999999999999.99");
        assertThat(arranger.get("/api/bonds/huge-commitment").status()).isEqualTo(200);
    }

    @Test
    void termsWithFiguresOrDatesTheReadModelsCannotStoreAreRefusedByTheSchema() {
        long before = events();
        Api.Response response = arranger.post("/api/bonds", Terms.rateCard("huge-terms")
                .replace("\"contractCap\": \"2250000.00\"", "\"contractCap\": \"1234567890123456789012345678901234567890\"")
                .replace("\"serviceEnd\": \"2022-03-31\"", "\"serviceEnd\": \"2101-01-01\""));
        assertProblem(response, 422, "invalid-terms");
        assertThat(pointers(response)).containsExactly("/contractCap", "/serviceEnd");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void aPerformanceAsOfBeyondFourDigitYearsIsA400NotA500() {
        assertThat(arranger.post("/api/bonds", Terms.rateCard("as-of-bond")).status()).isEqualTo(201);
        Api payer = node.api("payer");
        Api.Response response = payer.get("/api/bonds/as-of-bond/performance?asOf=-999999999-01-01");
        assertProblem(response, 400, "invalid-request");
        assertThat(pointers(response)).containsExactly("asOf");
        assertProblem(payer.get("/api/bonds/as-of-bond/performance?asOf=%2B10000-01-01"), 400, "invalid-request");
        assertThat(payer.get("/api/bonds/as-of-bond/performance?asOf=9999-12-31").status()).isEqualTo(200);
        assertThat(payer.get("/api/bonds/as-of-bond/performance?asOf=0001-01-01").status()).isEqualTo(200);
    }

    private static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asText()).isEqualTo("https://sibledger.org/problems/" + code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static List<String> pointers(Api.Response response) {
        List<String> pointers = new ArrayList<>();
        response.json().get("errors").forEach(e -> pointers.add(e.get("pointer").asText()));
        return pointers;
    }

    private static long events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }
}
