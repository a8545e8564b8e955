package org.sibledger.api.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNodeExtension;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator's pages over HTTP: each bond's form asks for the one kind its mechanism takes, with the bond's own
 * metrics, cohorts and participants; a wrong field is said at the field, in words, with what was typed kept; a
 * submission is confirmed with a summary and a link; a correction starts from a past submission; a CSV template.
 */
class EvaluatorPagesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final String CARD = "evaluator-card";
    private static final String COHORTS = "evaluator-cohorts";

    @BeforeAll
    static void bonds() {
        Bonds.openWithCohort(node::api, CARD, 10);
        Bonds.enrol(node::api, CARD, List.of("p-1", "p-2", "q-3"));

        node.api("arranger").post("/api/bonds", """
                {"bondId": "%s", "name": "Reoffending %s", "currency": "GBP",
                 "serviceStart": "2018-10-01", "serviceEnd": "2022-03-31",
                 "parties": {"arranger": "arranger", "serviceProviders": ["provider"],
                   "outcomePayers": [{"id": "payer", "share": "1.0"}], "evaluators": ["evaluator"],
                   "investors": ["investor"], "reviewers": ["reviewer"]},
                 "metrics": [{"id": "reconvictions", "name": "Reconviction events", "repeatable": false}],
                 "paymentMechanism": {"type": "THRESHOLD_VS_COMPARISON", "metric": "reconvictions", "lowerIsBetter": true,
                   "cohortThreshold": "0.10", "pooledThreshold": "0.075", "pricePerUnit": "100.00", "unitScale": "100"},
                 "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}}"""
                .formatted(COHORTS, COHORTS)).expect(201);
        node.api("investor").post("/api/bonds/" + COHORTS + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post("/api/bonds/" + COHORTS + "/opening", "").expect(200);
        node.api("provider").post("/api/bonds/" + COHORTS + "/cohorts", """
                {"cohortId": "prison-a", "name": "Prison A", "size": 100, "startDate": "2018-10-01"}""").expect(201);
    }

    /** One bond's card on the page. */
    private static String card(String page, String bondId) {
        int start = page.indexOf("data-bond=\"" + bondId + "\"");
        assertThat(start).as("the card of " + bondId).isPositive();
        int end = page.indexOf("<section class=\"card\"", start);
        return page.substring(start, end < 0 ? page.length() : end);
    }

    @Test
    void theFormOffersOnlyWhatTheBondTakes() {
        PageSession evaluator = PageSession.signIn(node.node().baseUrl(), "evaluator");
        String page = evaluator.get("/app/evaluator").body();
        String rateCard = card(page, CARD);
        assertThat(rateCard).contains("name=\"participantRef\"").contains("name=\"achievedOn\"")
                .contains("<option value=\"earns-768\"").contains("Earns GBP 768")
                .doesNotContain("name=\"treated\"").doesNotContain("name=\"amount\"").doesNotContain("name=\"cohortId\"")
                .doesNotContain("TARGET_RESULT").contains("claims-template.csv");
        String threshold = card(page, COHORTS);
        assertThat(threshold).contains("name=\"cohortId\"").contains("<option value=\"prison-a\"")
                .contains("name=\"treated\"").contains("name=\"comparison\"").contains("<option value=\"reconvictions\"")
                .doesNotContain("name=\"participantRef\"").doesNotContain("name=\"achieved\"")
                .doesNotContain("claims-template.csv").contains("Cohort result");

        // enrolled participants, searchable without any script
        assertThat(rateCard).contains("Showing 3 of 3 found (3 enrolled in all)");
        String found = card(evaluator.get("/app/evaluator?bond=" + CARD + "&q=q-").body(), CARD);
        assertThat(found).contains("Showing 1 of 1 found (3 enrolled in all)").contains(">q-3<");
        assertThat(found.split("data-testid=\"participant\"")).hasSize(2);

        assertThat(card(evaluator.get("/app/evaluator?lang=he").body(), COHORTS)).contains("תוצאת מחזור").contains("מחזור");
    }

    @Test
    void whatIsWrongIsSaidAtItsFieldAndWhatWasTypedIsKept() {
        PageSession evaluator = PageSession.signIn(node.node().baseUrl(), "evaluator");
        evaluator.get("/app/evaluator");
        String path = "/app/evaluator/bonds/" + CARD + "/measurements";
        String page = evaluator.postAndFollow(path, Map.of("metric", List.of("earns-768"), "achievedOn", List.of("1st of June"),
                "evidenceRef", List.of("payslip-77"))).body();
        String form = card(page, CARD);
        // the form's fields are numbered by the card's place on the page, among the evaluator's bonds
        Matcher numbered = Pattern.compile("id=\"form-([0-9]+)\"").matcher(form);
        assertThat(numbered.find()).as(form).isTrue();
        String n = numbered.group(1);
        assertThat(page).contains("Nothing was submitted");
        assertThat(form).contains("id=\"participant-" + n + "-error\"").contains("Fill this in.")
                .contains("&#39;1st of June&#39; is not a date (write YYYY-MM-DD).").contains("value=\"payslip-77\"")
                .contains("aria-describedby=\"achievedOn-" + n + "-error\"");

        // the bond refuses a participant it has not enrolled: said at the participant, in words
        page = evaluator.postAndFollow(path, Map.of("participantRef", List.of("p-404"), "metric", List.of("earns-768"),
                "achievedOn", List.of("2019-06-01"), "evidenceRef", List.of("payslip-78"))).body();
        form = card(page, CARD);
        Matcher error = Pattern.compile("id=\"participant-" + n + "-error\">([^<]+)<").matcher(form);
        assertThat(error.find()).as(form).isTrue();
        assertThat(error.group(1)).contains("p-404").doesNotContain("java.").doesNotContain("Exception");
        assertThat(form).contains("value=\"p-404\"").contains("value=\"2019-06-01\"").contains("value=\"payslip-78\"");
        assertThat(node.api("evaluator").get("/api/bonds/" + CARD + "/measurements").expect(200).get("items")).isEmpty();
    }

    @Test
    void aSubmissionIsConfirmedInWordsAndCorrectedFromThePast() {
        PageSession evaluator = PageSession.signIn(node.node().baseUrl(), "evaluator");
        evaluator.get("/app/evaluator");
        String page = evaluator.postAndFollow("/app/evaluator/bonds/" + COHORTS + "/measurements", Map.of(
                "cohortId", List.of("prison-a"), "metric", List.of("reconvictions"), "period", List.of("2019"),
                "treated", List.of("91"), "comparison", List.of("100"), "periodEnd", List.of("2019-12-31"),
                "evidenceRef", List.of("moj-report-2019"))).body();
        Matcher link = Pattern.compile("href=\"#sub-(m-[0-9a-f-]+)\" data-testid=\"submitted-link\"").matcher(page);
        assertThat(link.find()).as(page).isTrue();
        String measurement = link.group(1);
        String notice = page.substring(page.indexOf("data-testid=\"notice\""), page.indexOf("data-testid=\"submitted-link\""));
        assertThat(notice).contains("Measurement submitted").contains("Cohort result").contains("prison-a")
                .contains("2019").contains("91").contains("100").doesNotContain("CohortResult").doesNotContain("java.");
        assertThat(page).contains("id=\"sub-" + measurement + "\"");

        // a correction starts from the past submission, its values filled in
        String correcting = card(evaluator.get("/app/evaluator?bond=" + COHORTS + "&correct=" + measurement).body(), COHORTS);
        assertThat(correcting).contains("Correct a past submission").contains("value=\"91\"").contains("value=\"moj-report-2019\"")
                .containsPattern("<option value=\"" + measurement + "\" selected=\"selected\"");
        evaluator.postAndFollow("/app/evaluator/bonds/" + COHORTS + "/measurements", Map.of(
                "supersedes", List.of(measurement), "cohortId", List.of("prison-a"), "metric", List.of("reconvictions"),
                "period", List.of("2019"), "treated", List.of("90"), "comparison", List.of("100"),
                "periodEnd", List.of("2019-12-31"), "evidenceRef", List.of("moj-report-2019-rev")));
        assertThat(node.api("evaluator").get("/api/bonds/" + COHORTS + "/measurements/" + measurement).expect(200)
                .get("status").asText()).isEqualTo("SUPERSEDED");
    }

    /**
     * A submission of several claims is corrected whole, with its file: the one-claim form is not offered for it (it
     * would replace every claim with one) and is refused if sent anyway; its claims download as a CSV file, which,
     * corrected and uploaded, supersedes the submission with all of its claims.
     */
    @Test
    void aSubmissionOfManyClaimsIsCorrectedWithItsFileSoNoClaimIsLost() {
        String many = "evaluator-many";
        Bonds.openWithCohort(node::api, many, 10);
        Bonds.enrol(node::api, many, List.of("p-1", "p-2"));
        PageSession evaluator = PageSession.signIn(node.node().baseUrl(), "evaluator");
        evaluator.get("/app/evaluator");
        String first = "participantRef,metric,achievedOn,evidenceRef\r\np-1,earns-768,2019-06-01,payslip-1\r\n"
                + "p-2,earns-768,2019-06-02,\"payslip 2, page 1\"\r\n";
        assertThat(evaluator.postFile("/app/evaluator/bonds/" + many + "/claims", Map.of("evidenceRef", "batch-7"),
                "file", "claims.csv", first).status()).isEqualTo(302);
        String page = evaluator.get("/app/evaluator").body();
        Matcher link = Pattern.compile("href=\"#sub-(m-[0-9a-f-]+)\" data-testid=\"submitted-link\"").matcher(page);
        assertThat(link.find()).as(page).isTrue();
        String measurement = link.group(1);

        String correcting = card(evaluator.get("/app/evaluator?bond=" + many + "&correct=" + measurement).body(), many);
        assertThat(correcting).contains("data-testid=\"many-claims\"").contains("This submission holds 2 claims")
                .doesNotContain("class=\"measurement\"")
                .contains("/app/evaluator/bonds/" + many + "/measurements/" + measurement + "/claims.csv")
                .contains("name=\"supersedes\" value=\"" + measurement + "\"").contains("Upload the correction");
        // the one-claim form sent anyway is refused in words, and nothing is recorded
        String refused = card(evaluator.postAndFollow("/app/evaluator/bonds/" + many + "/measurements", Map.of(
                "supersedes", List.of(measurement), "participantRef", List.of("p-1"), "metric", List.of("earns-768"),
                "achievedOn", List.of("2019-06-01"), "evidenceRef", List.of("payslip-1"))).body(), many);
        assertThat(refused).contains("This submission holds 2 claims");
        assertThat(node.api("evaluator").get("/api/bonds/" + many + "/measurements/" + measurement).expect(200)
                .get("status").asText()).isEqualTo("SUBMITTED");

        PageSession.Page file = evaluator.get("/app/evaluator/bonds/" + many + "/measurements/" + measurement + "/claims.csv");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.contentType()).startsWith("text/csv");
        assertThat(file.body()).isEqualTo(first);
        // corrected (the second claim's date) and uploaded: the submission is superseded, both claims kept
        evaluator.get("/app/evaluator?bond=" + many + "&correct=" + measurement);
        PageSession.Page corrected = evaluator.postFile("/app/evaluator/bonds/" + many + "/claims",
                Map.of("evidenceRef", "batch-7-rev", "supersedes", measurement), "file", "claims.csv",
                file.body().replace("2019-06-02", "2019-06-20"));
        assertThat(corrected.status()).isEqualTo(302);
        assertThat(node.api("evaluator").get("/api/bonds/" + many + "/measurements/" + measurement).expect(200)
                .get("status").asText()).isEqualTo("SUPERSEDED");
        com.fasterxml.jackson.databind.JsonNode correction = null;
        for (com.fasterxml.jackson.databind.JsonNode m : node.api("evaluator").get("/api/bonds/" + many + "/measurements?size=100")
                .expect(200).get("items")) {
            if (measurement.equals(m.path("supersedes").asText(null))) {
                correction = m;
            }
        }
        assertThat(correction).as("the correction of " + measurement).isNotNull();
        assertThat(correction.toString()).contains("2019-06-20").contains("p-1").contains("p-2").contains("payslip 2, page 1");
    }

    @Test
    void aCsvTemplateOfTheBondIsThereToDownload() {
        PageSession evaluator = PageSession.signIn(node.node().baseUrl(), "evaluator");
        PageSession.Page template = evaluator.get("/app/evaluator/bonds/" + CARD + "/claims-template.csv");
        assertThat(template.status()).isEqualTo(200);
        assertThat(template.contentType()).startsWith("text/csv");
        String[] lines = template.body().split("\r\n");
        assertThat(lines[0]).isEqualTo("participantRef,metric,achievedOn,evidenceRef");
        assertThat(lines[1]).startsWith("p-1,earns-768,");
        // the template is a file the upload itself reads without a wrong row
        assertThat(ClaimsCsv.read(readBond(node.api("evaluator").get("/api/bonds/" + CARD).body()), java.util.Set.of("p-1"),
                template.body()).errors()).isEmpty();
        assertThat(template.body()).doesNotContain("\n\n");
    }

    private static org.sibledger.contracts.bond.BondView readBond(String json) {
        try {
            return org.sibledger.contracts.common.ContractsJson.newMapper().readValue(json, org.sibledger.contracts.bond.BondView.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
