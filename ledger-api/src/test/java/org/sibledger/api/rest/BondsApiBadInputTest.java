package org.sibledger.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input to the bonds endpoints gets a specific problem answer and records nothing. */
class BondsApiBadInputTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

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
    void queryParametersOutOfRangeAreA400() {
        assertProblem(arranger.get("/api/bonds?size=0"), 400, "invalid-paging");
        assertProblem(arranger.get("/api/bonds?size=501"), 400, "invalid-paging");
        assertProblem(arranger.get("/api/bonds?page=-1"), 400, "invalid-paging");
        assertProblem(arranger.get("/api/bonds?size=abc"), 400, "bad-request");
        assertProblem(arranger.get("/api/bonds?page=99999999999"), 400, "bad-request");
        assertThat(arranger.post("/api/bonds", Terms.rateCard("ranges")).status()).isEqualTo(201);
        String b = "/api/bonds/ranges";
        assertProblem(arranger.get(b + "/performance?asOf=-999999999-01-01"), 400, "invalid-parameter");
        assertThat(pointers(arranger.get(b + "/performance?asOf=-999999999-01-01"))).containsExactly("asOf");
        assertProblem(arranger.get(b + "/performance?asOf=%2B999999999-12-31"), 400, "invalid-parameter");
        assertProblem(arranger.get(b + "/performance?asOf=2019-02-30"), 400, "bad-request");
        assertProblem(arranger.get(b + "/performance?asOf=yesterday"), 400, "bad-request");
        // the edges of the range are answered
        assertThat(arranger.get(b + "/performance?asOf=0001-01-01").status()).isEqualTo(200);
        assertThat(arranger.get(b + "/performance?asOf=9999-12-31").status()).isEqualTo(200);
        assertProblem(arranger.get(b + "/history?from=-1"), 400, "invalid-paging");
        assertThat(pointers(arranger.get(b + "/history?from=-1"))).containsExactly("from");
        assertProblem(arranger.get(b + "/history?size=0"), 400, "invalid-paging");
        assertProblem(arranger.get(b + "/history?from=x"), 400, "bad-request");
        assertThat(arranger.get(b + "/history?from=9223372036854775807").status()).isEqualTo(200);
        assertProblem(arranger.get(b + "/payouts?page=-1"), 400, "invalid-paging");
        assertProblem(arranger.get(b + "/measurements?size=100000"), 400, "invalid-paging");
        assertProblem(arranger.get(b + "/measurements?status=approved"), 400, "invalid-request");
        // the reports' and the checkpoints' parameters too
        assertProblem(arranger.get(b + "/claim-pack.csv?from=-999999999-01-01"), 400, "invalid-parameter");
        assertThat(pointers(arranger.get(b + "/claim-pack.csv?to=%2B999999999-12-31"))).containsExactly("to");
        assertProblem(arranger.get(b + "/claim-pack.pdf?from=2020-01-02&to=2020-01-01"), 400, "invalid-parameter");
        assertThat(arranger.get(b + "/claim-pack.csv?from=2020-01-01&to=2020-01-01").status()).isEqualTo(200);
        assertProblem(arranger.get(b + "/checkpoints?size=0"), 400, "invalid-paging");
        assertProblem(arranger.get(b + "/checkpoints?size=501"), 400, "invalid-paging");
    }

    /** The pages' language switch: a value that is no locale leaves the language as it was instead of failing. */
    @Test
    void aLanguageThatIsNoLocaleIsIgnored() throws Exception {
        for (String lang : List.of("%00", "en%00", "%FF", "x_y_z_w", "..%2F")) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(node.node().baseUrl() + "/login?lang=" + lang)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("lang=" + lang).isIn(200, 400);
        }
        HttpResponse<String> nul = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.node().baseUrl() + "/login?lang=%00")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(nul.statusCode()).isEqualTo(200);
        assertThat(nul.body()).contains("lang=\"en\"");
    }

    /** An enum is named: a number, or a string of digits, is not the constant with that index. */
    @Test
    void enumsGivenAsNumbersAreA400() {
        String b = "/api/bonds/enum-bond";
        String measurement = bondWithMeasurement("enum-bond");
        long before = events();
        for (String body : List.of("{\"decision\": 0}", "{\"decision\": 1, \"reason\": \"x\"}",
                "{\"decision\": \"2\", \"reason\": \"x\"}", "{\"decision\": \"0\"}", "{\"decision\": \"approve \"}")) {
            Api.Response response = node.api("payer").post(b + "/measurements/" + measurement + "/decision", body);
            assertProblem(response, 400, "invalid-request");
            assertThat(pointers(response)).as(body).containsExactly("/decision");
        }
        for (String body : List.of("{\"role\": 0, \"partyId\": \"investor3\"}", "{\"role\": \"0\", \"partyId\": \"investor3\"}")) {
            Api.Response response = arranger.post(b + "/parties", body);
            assertProblem(response, 400, "invalid-request");
            assertThat(pointers(response)).as(body).containsExactly("/role");
        }
        Api.Response resolution = node.api("reviewer").post(b + "/measurements/" + measurement + "/dispute-resolution",
                "{\"resolution\": 1, \"reason\": \"x\"}");
        assertProblem(resolution, 400, "invalid-request");
        assertThat(events()).isEqualTo(before);
        assertThat(node.api("payer").get(b + "/measurements/" + measurement).json().get("status").asText())
                .isEqualTo("SUBMITTED");
    }

    @Test
    void bodiesOfTheWrongShapeAreNamedInJsonTerms() {
        String b = "/api/bonds/shape-bond";
        bondWithMeasurement("shape-bond");
        long before = events();
        Map<String, String> expected = Map.of(
                "{\"tranche\": \"senior\", \"amount\": 1000.00}", "/amount",
                "{\"tranche\": \"senior\", \"amount\": \"1000.00\", \"note\": \"x\"}", "/note",
                "{\"tranche\": [\"senior\"], \"amount\": \"1000.00\"}", "/tranche",
                "{\"tranche\": \"senior\", \"amount\": \"1e3\"}", "/amount");
        expected.forEach((body, pointer) -> {
            Api.Response response = node.api("investor").post(b + "/commitments", body);
            assertProblem(response, 400, "invalid-request");
            assertThat(pointers(response)).as(body).containsExactly(pointer);
        });
        Api.Response amount = node.api("investor").post(b + "/commitments", "{\"tranche\": \"senior\", \"amount\": 1000.00}");
        assertThat(amount.json().at("/errors/0/message").asText()).contains("a decimal written as a string");
        Api.Response unknown = node.api("investor").post(b + "/commitments",
                "{\"tranche\": \"senior\", \"amount\": \"1000.00\", \"note\": \"x\"}");
        assertThat(unknown.json().at("/errors/0/message").asText()).contains("'note' is not a field here");
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        String b = "/api/bonds/dup-bond";
        String measurement = bondWithMeasurement("dup-bond");
        long before = events();
        Api.Response decision = node.api("payer").post(b + "/measurements/" + measurement + "/decision", """
                {"decision": "APPROVE", "reason": "x", "decision": "DISPUTE"}""");
        assertProblem(decision, 400, "malformed-json");
        assertThat(decision.json().get("detail").asText()).contains("Duplicate field 'decision'");
        String terms = Terms.rateCard("dup-terms").replaceFirst("\\{", "{\"bondId\": \"other-id\", ");
        assertProblem(arranger.post("/api/bonds", terms), 400, "malformed-json");
        assertProblem(arranger.post(b + "/cohorts", """
                {"cohortId": "c9", "name": "n", "size": 5, "size": 500, "startDate": "2019-01-01"}"""), 400, "malformed-json");
        assertThat(events()).isEqualTo(before);
        assertProblem(arranger.get("/api/bonds/dup-terms"), 404, "unknown-bond");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefused() throws Exception {
        long before = events();
        byte[] latin1 = Terms.rateCard("latin1-bond").replace("\"name\": \"", "\"name\": \"Caf\u00e9 ")
                .getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] body : List.of(latin1, withByte(Terms.rateCard("ff-bond"), (byte) 0xFF),
                // an overlong encoding of "/" and a lone surrogate (CESU) are not UTF-8 either
                withBytes(Terms.rateCard("overlong-bond"), new byte[] {(byte) 0xC0, (byte) 0xAF}),
                withBytes(Terms.rateCard("surrogate-bond"), new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))) {
            for (String contentType : List.of("application/json", "application/json;charset=ISO-8859-1")) {
                HttpResponse<String> response = postBytes("/api/bonds", body, contentType);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
                assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(response.body()).contains("https://sibledger.org/problems/malformed-json", "UTF-8");
            }
        }
        assertThat(events()).isEqualTo(before);
        // the same bytes as UTF-8 are accepted
        HttpResponse<String> utf8 = postBytes("/api/bonds", Terms.rateCard("utf8-bond")
                .replace("\"name\": \"", "\"name\": \"Caf\u00e9 ").getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(utf8.statusCode()).as(utf8.body()).isEqualTo(201);
        assertThat(arranger.get("/api/bonds/utf8-bond").json().at("/terms/name").asText()).startsWith("Caf\u00e9 ");
    }

    @Test
    void aNullBodyIsA400() {
        String b = "/api/bonds/null-bond";
        String measurement = bondWithMeasurement("null-bond");
        long before = events();
        List<Api.Response> answers = List.of(
                node.api("investor").post(b + "/commitments", "null"),
                node.api("investor").post(b + "/commitments", " null "),
                node.api("payer").post(b + "/measurements/" + measurement + "/decision", "null"),
                node.api("provider").post(b + "/cohorts/c1/participants", "null"),
                node.api("evaluator").post(b + "/measurements", "null"),
                arranger.post("/api/bonds", "null"),
                arranger.post(b + "/amendments", "null"));
        for (Api.Response response : answers) {
            assertProblem(response, 400, "invalid-request");
            assertThat(pointers(response)).containsExactly("/");
        }
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void nullListItemsAreA400NamedByPointer() {
        String b = "/api/bonds/null-items";
        bondWithMeasurement("null-items");
        long before = events();
        Api.Response participants = node.api("provider").post(b + "/cohorts/c1/participants", "[null]");
        assertProblem(participants, 400, "invalid-request");
        assertThat(pointers(participants)).containsExactly("/0");
        Api.Response some = node.api("provider").post(b + "/cohorts/c1/participants", """
                [{"participantRef": "p-7"}, null, {"participantRef": "p-8"}, null]""");
        assertProblem(some, 400, "invalid-request");
        assertThat(pointers(some)).containsExactly("/1", "/3");
        Api.Response claims = node.api("evaluator").post(b + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch", "claims": [null]}""");
        assertProblem(claims, 400, "invalid-request");
        assertThat(pointers(claims)).containsExactly("/claims/0");
        // consent is given by each party with its own command: an arranger cannot type it into a proposal
        Api.Response consent = arranger.post(b + "/amendments", """
                {"terms": %s, "reason": "r", "effectiveFrom": "2019-01-01", "consentedBy": ["payer", "payer2"]}"""
                .formatted(Terms.rateCard("null-items")));
        assertProblem(consent, 400, "invalid-request");
        Api.Response terms = arranger.post("/api/bonds", Terms.rateCard("null-terms")
                .replace("\"evaluators\": [", "\"evaluators\": [null, "));
        assertProblem(terms, 400, "invalid-request");
        assertThat(pointers(terms)).containsExactly("/parties/evaluators/0");
        assertThat(events()).isEqualTo(before);
    }

    /** A rate-card bond, open, with participant p-1 enrolled and one measurement submitted for it; its id. */
    private static String bondWithMeasurement(String bondId) {
        Bonds.openWithCohort(node::api, bondId, 5);
        Bonds.enrol(node::api, bondId, List.of("p-1"));
        Api.Response submitted = node.api("evaluator").post("/api/bonds/" + bondId + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch", "claims": [{"participantRef": "p-1",
                 "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "e"}]}""");
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        return submitted.json().get("measurementId").asText();
    }

    private static byte[] withByte(String text, byte b) {
        return withBytes(text, new byte[] {b});
    }

    /** The text as UTF-8 with the bytes put into the bond's name. */
    private static byte[] withBytes(String text, byte[] bytes) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int at = text.indexOf("\"name\": \"") + "\"name\": \"".length();
        byte[] out = new byte[utf8.length + bytes.length];
        System.arraycopy(utf8, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(utf8, at, out, at + bytes.length, utf8.length - at);
        return out;
    }

    private static HttpResponse<String> postBytes(String path, byte[] body, String contentType) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.node().baseUrl() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("arranger:demo".getBytes()))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCommitmentTheReadModelsCannotStoreIsRefusedAndTheLargestTheyCanIsServed() {
        assertThat(arranger.post("/api/bonds", Terms.rateCard("huge-commitment")).status()).isEqualTo(201);
        Api investor = node.api("investor");
        long before = events();
        Api.Response refused = investor.post("/api/bonds/huge-commitment/commitments",
                "{\"tranche\": \"senior\", \"amount\": \"1234567890123456789012345678901234567890\"}");
        // refused at the edge, by the bounds openapi.yaml declares for the body (RequestBoundsApiTest)
        assertProblem(refused, 400, "invalid-request");
        assertThat(pointers(refused)).containsExactly("/amount");
        assertProblem(investor.post("/api/bonds/huge-commitment/commitments",
                "{\"tranche\": \"senior\", \"amount\": \"1000000000000000.00\"}"), 400, "invalid-request");
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
        assertProblem(response, 400, "invalid-parameter");
        assertThat(pointers(response)).containsExactly("asOf");
        assertProblem(payer.get("/api/bonds/as-of-bond/performance?asOf=%2B10000-01-01"), 400, "invalid-parameter");
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
        // what is wrong is said in terms of JSON, never of the Java types the body is read into
        assertThat(response.body()).doesNotContain("java.", "org.sibledger", "com.fasterxml", "`", "Cannot deserialize",
                "class ");
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
