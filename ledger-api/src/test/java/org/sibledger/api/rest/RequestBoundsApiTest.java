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

/**
 * Every amount, count and date a REST request body carries is bounded at the edge by the limits its schema declares
 * in openapi.yaml (RequestBounds), before any bond is asked: out of bounds is a 400 invalid-request naming the field
 * and the schema, and records nothing; the largest values within them pass the edge. The Bond's own refusals of the
 * same limits (amount-out-of-range, 422) are left for what the edge cannot know: a sum of amounts, or a currency's
 * minor unit.
 */
class RequestBoundsApiTest {

    private static final String BOND = "edge-bounds";
    private static final String B = "/api/bonds/" + BOND;
    private static final String TOO_MUCH = "1000000000000000.00";
    private static final String LARGEST = "999999999999999.99";

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    @Test
    void everyBodysAmountsCountsAndDatesAreBoundedAtTheEdgeAndTheLargestPass() {
        Api arranger = node.api("arranger");
        Api investor = node.api("investor");
        Api provider = node.api("provider");
        assertThat(arranger.post("/api/bonds", Terms.rateCard(BOND)).status()).isEqualTo(201);

        // commitments: 10^15, and more decimals than any currency has, refused at the edge
        refusedAtTheEdge(investor, "/commitments", "{\"tranche\": \"senior\", \"amount\": \"" + TOO_MUCH + "\"}",
                "CommitmentRequest", "/amount");
        refusedAtTheEdge(investor, "/commitments", "{\"tranche\": \"senior\", \"amount\": \"1.00001\"}",
                "CommitmentRequest", "/amount");
        // finer than pence: the edge does not know the bond's currency, the Bond does
        Api.Response pence = investor.post(B + "/commitments", "{\"tranche\": \"senior\", \"amount\": \"1.001\"}");
        assertThat(pence.status()).as(pence.toString()).isEqualTo(422);
        assertThat(pence.json().get("code").asText()).isEqualTo("invalid-amount");
        assertThat(investor.post(B + "/commitments", "{\"tranche\": \"senior\", \"amount\": \"" + LARGEST + "\"}")
                .status()).isEqualTo(201);

        // an increase: 10^15 at the edge; 0.01 passes the edge, and the Bond refuses the sum it would make
        refusedAtTheEdge(investor, "/commitments/increase", "{\"tranche\": \"senior\", \"amount\": \"" + TOO_MUCH + "\"}",
                "CommitmentIncreaseRequest", "/amount");
        Api.Response sum = investor.post(B + "/commitments/increase", "{\"tranche\": \"senior\", \"amount\": \"0.01\"}");
        assertThat(sum.status()).as(sum.toString()).isEqualTo(422);
        assertThat(sum.json().get("code").asText()).isEqualTo("amount-out-of-range");

        // an amendment's date
        refusedAtTheEdge(arranger, "/amendments", "{\"terms\": " + Terms.rateCard(BOND)
                + ", \"reason\": \"later\", \"effectiveFrom\": \"2101-01-01\"}", "AmendmentRequest", "/effectiveFrom");

        assertThat(arranger.post(B + "/opening", "").status()).isEqualTo(200);

        // a capital call: its amount and its due date, each named
        refusedAtTheEdge(arranger, "/capital-calls", "{\"amount\": \"" + TOO_MUCH + "\", \"dueDate\": \"1999-12-31\"}",
                "CapitalCallRequest", "/amount", "/dueDate");
        refusedAtTheEdge(arranger, "/capital-calls", "{\"amount\": \"1000.00\", \"dueDate\": \"2101-01-01\"}",
                "CapitalCallRequest", "/dueDate");
        Api.Response call = arranger.post(B + "/capital-calls",
                "{\"amount\": \"" + LARGEST + "\", \"dueDate\": \"2100-12-31\"}");
        assertThat(call.status()).as(call.toString()).isEqualTo(201);
        String callId = call.json().get("callId").asText();

        // a funding
        refusedAtTheEdge(investor, "/capital-calls/" + callId + "/fundings", "{\"amount\": \"" + TOO_MUCH + "\"}",
                "FundingRequest", "/amount");
        assertThat(investor.post(B + "/capital-calls/" + callId + "/fundings", "{\"amount\": \"" + LARGEST + "\"}")
                .status()).isEqualTo(201);

        // a disbursement
        refusedAtTheEdge(arranger, "/disbursements", "{\"providerId\": \"provider\", \"amount\": \"" + TOO_MUCH + "\"}",
                "DisbursementRequest", "/amount");
        assertThat(arranger.post(B + "/disbursements", "{\"providerId\": \"provider\", \"amount\": \"" + LARGEST + "\"}")
                .status()).isEqualTo(201);

        // a distribution: its amount and its date; the largest pass the edge and are the Bond's to judge (no cash left)
        refusedAtTheEdge(arranger, "/distributions", "{\"amount\": \"" + TOO_MUCH + "\", \"date\": \"2020-01-01\"}",
                "DistributionRequest", "/amount");
        refusedAtTheEdge(arranger, "/distributions", "{\"amount\": \"1.00\", \"date\": \"2101-01-01\"}",
                "DistributionRequest", "/date");
        passesTheEdge(arranger.post(B + "/distributions", "{\"amount\": \"" + LARGEST + "\", \"date\": \"2100-12-31\"}"));

        // a guarantee call's date
        refusedAtTheEdge(arranger, "/guarantee-call", "{\"date\": \"1999-12-31\"}", "GuaranteeCallRequest", "/date");
        passesTheEdge(arranger.post(B + "/guarantee-call", "{\"date\": \"2100-12-31\"}"));

        // a cohort: its size (a count) and its start date
        refusedAtTheEdge(provider, "/cohorts", "{\"cohortId\": \"c1\", \"name\": \"All\", \"size\": 10000001, "
                + "\"startDate\": \"2019-01-01\"}", "CohortRequest", "/size");
        refusedAtTheEdge(provider, "/cohorts", "{\"cohortId\": \"c1\", \"name\": \"All\", \"size\": 0, "
                + "\"startDate\": \"2019-01-01\"}", "CohortRequest", "/size");
        refusedAtTheEdge(provider, "/cohorts", "{\"cohortId\": \"c1\", \"name\": \"All\", \"size\": 5, "
                + "\"startDate\": \"2101-01-01\"}", "CohortRequest", "/startDate");
        assertThat(provider.post(B + "/cohorts", "{\"cohortId\": \"c1\", \"name\": \"All\", \"size\": 10000000, "
                + "\"startDate\": \"2019-01-01\"}").status()).isEqualTo(201);
    }

    @Test
    void eachRequestSchemaThatCarriesAmountsCountsOrDatesHasThemBounded() {
        assertThat(RequestBounds.fieldsOf("CommitmentRequest")).containsExactly("amount");
        assertThat(RequestBounds.fieldsOf("CommitmentIncreaseRequest")).containsExactly("amount");
        assertThat(RequestBounds.fieldsOf("CapitalCallRequest")).containsExactly("amount", "dueDate");
        assertThat(RequestBounds.fieldsOf("FundingRequest")).containsExactly("amount");
        assertThat(RequestBounds.fieldsOf("DisbursementRequest")).containsExactly("amount");
        assertThat(RequestBounds.fieldsOf("DistributionRequest")).containsExactly("amount", "date");
        assertThat(RequestBounds.fieldsOf("GuaranteeCallRequest")).containsExactly("date");
        assertThat(RequestBounds.fieldsOf("CohortRequest")).containsExactly("size", "startDate");
        assertThat(RequestBounds.fieldsOf("AmendmentRequest")).containsExactly("effectiveFrom");
        // bodies without amounts, counts or dates: nothing to bound
        assertThat(RequestBounds.fieldsOf("DecisionRequest")).isEmpty();
        assertThat(RequestBounds.fieldsOf("ResolutionRequest")).isEmpty();
        assertThat(RequestBounds.fieldsOf("ParticipantsRequest")).isEmpty();
        assertThat(RequestBounds.outOfBounds("LedgerDate", "2100-12-31")).isNull();
        assertThat(RequestBounds.outOfBounds("LedgerDate", "2000-01-01")).isNull();
        assertThat(RequestBounds.outOfBounds("LedgerDate", "1999-12-31")).contains("2000-01-01 to 2100-12-31");
        assertThat(RequestBounds.outOfBounds("Amount", LARGEST)).isNull();
        assertThat(RequestBounds.outOfBounds("Amount", TOO_MUCH)).isNotNull();
    }

    private static void refusedAtTheEdge(Api api, String path, String body, String schema, String... pointers) {
        long before = events();
        Api.Response response = api.post(B + path, body);
        assertThat(response.status()).as(path + " " + body + " -> " + response).isEqualTo(400);
        JsonNode problem = response.json();
        assertThat(problem.get("code").asText()).isEqualTo("invalid-request");
        List<String> named = new ArrayList<>();
        problem.get("errors").forEach(e -> {
            named.add(e.get("pointer").asText());
            // the edge says so: the limit is the request schema's in openapi.yaml
            assertThat(e.get("message").asText()).contains(schema + " allows in openapi.yaml");
        });
        assertThat(named).as(body).containsExactly(pointers);
        assertThat(events()).as("nothing recorded for " + body).isEqualTo(before);
    }

    /** Past the edge: the Bond decided (a refusal of its own, not the request's shape or bounds). */
    private static void passesTheEdge(Api.Response response) {
        if (response.status() >= 400) {
            assertThat(response.status()).as(response.toString()).isNotEqualTo(400);
            assertThat(response.json().get("code").asText()).doesNotEndWith("out-of-range");
        }
    }

    private static long events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }
}
