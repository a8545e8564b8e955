package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps of a bond's life from its page over HTTP, as a browser's form posts reach them: a fresh bond is taken
 * from structured to closed by its arranger's forms (and its provider's enrolment), each step checked against what the
 * API then reads; money moves only after a confirmation page that shows the amounts (the waterfall line by line for a
 * distribution); a refusal is said at its field with what was typed kept; no one else sees the controls, and the
 * server refuses their posts with the app's 403 page; the forms speak Hebrew.
 */
class ArrangerPagesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    /** A rate card whose senior tranche is 75% guaranteed by a guarantee tranche, for a guarantor yet to be admitted. */
    private static String guaranteedTerms(String bondId) {
        return Terms.rateCard(bondId).replace("""
                "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}""", """
                "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"},
                  {"id": "guarantee", "rank": 2, "kind": "GUARANTEE", "guaranteedShareOfPrincipal": "0.75",
                   "guaranteedTranches": ["senior"]}]}""");
    }

    private static String path(String bondId, String step) {
        return "/app/arranger/bonds/" + bondId + "/" + step;
    }

    private static JsonNode bond(String bondId) {
        return node.api("arranger").get("/api/bonds/" + bondId).expect(200);
    }

    private static Map<String, List<String>> form(String... namesAndValues) {
        Map<String, List<String>> form = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return form;
    }

    /** Confirms a money step's preview: posts the confirmation page's hidden fields to its form's action. */
    private static PageSession.Page confirm(PageSession session, PageSession.Page preview) {
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        Matcher action = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"").matcher(preview.body());
        assertThat(action.find()).isTrue();
        Map<String, List<String>> hidden = new java.util.LinkedHashMap<>();
        Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(preview.body());
        while (input.find()) {
            if (!input.group(1).equals("_csrf")) {
                hidden.put(input.group(1), List.of(input.group(2)));
            }
        }
        assertThat(hidden).containsKey("key");
        return session.postAndFollow(action.group(1), hidden);
    }

    /** The text of the field error under the field {@code id}, or null. */
    private static String fieldError(String page, String id) {
        Matcher error = Pattern.compile("id=\"" + id + "-error\"[^>]*>([^<]*)<").matcher(page);
        return error.find() ? error.group(1) : null;
    }

    @Test
    void theArrangerTakesAFreshBondFromStructuredToClosedFromItsPage() {
        String bondId = "arranger-walk";
        node.api("arranger").post("/api/bonds", guaranteedTerms(bondId)).expect(201);
        node.api("investor").post("/api/bonds/" + bondId + "/commitments", """
                {"tranche": "senior", "amount": "10000.00"}""").expect(201);
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        PageSession.Page page = arranger.get("/app/bonds/" + bondId);
        assertThat(page.body()).contains("data-testid=\"actions\"").contains("id=\"act-open\"").contains("id=\"act-party\"")
                .doesNotContain("id=\"act-call\"").doesNotContain("id=\"act-close\"");

        // admit the guarantor, who then commits to the guarantee tranche
        PageSession.Page admitted = arranger.postAndFollow(path(bondId, "parties"), form("role", "INVESTOR", "partyId", "investor2"));
        assertThat(admitted.body()).contains("investor2 is now a party of the bond as investor.");
        assertThat(bond(bondId).at("/terms/parties/investors").toString()).contains("investor2");
        node.api("investor2").post("/api/bonds/" + bondId + "/commitments", """
                {"tranche": "guarantee", "amount": "7500.00"}""").expect(201);

        // propose a variation (a new price), see who has consented, and withdraw it
        // the terms in force are the form's starting point: edited there, not written anew
        Matcher prefilled = Pattern.compile("<textarea id=\"act-amend-terms\"[^>]*>(.*?)</textarea>", Pattern.DOTALL)
                .matcher(arranger.get("/app/bonds/" + bondId).body());
        assertThat(prefilled.find()).isTrue();
        String inForce = org.springframework.web.util.HtmlUtils.htmlUnescape(prefilled.group(1));
        assertThat(inForce).contains("2750.00").contains("investor2");
        String amended = inForce.replace("2750.00", "3000.00");
        PageSession.Page proposed = arranger.postAndFollow(path(bondId, "amendments"), form("terms", amended,
                "reason", "Price reviewed with the payer", "effectiveFrom", "2019-01-01"));
        assertThat(proposed.body()).contains("Variation proposed.").contains("data-testid=\"proposal\"")
                .contains("Price reviewed with the payer").contains("3000.00").contains("id=\"act-withdraw\"");
        String proposalId = node.api("payer").get("/api/bonds/" + bondId + "/amendments").expect(200)
                .at("/open/proposalId").asText();
        node.api("payer").post("/api/bonds/" + bondId + "/amendments/" + proposalId + "/consent", "").expect(200);
        String consented = arranger.get("/app/bonds/" + bondId).body();
        assertThat(consented.substring(consented.indexOf("data-testid=\"proposal\""))).containsPattern("Consented</span>:\\s*<bdi>payer</bdi>");
        PageSession.Page withdrawn = arranger.postAndFollow(path(bondId, "amendments/" + proposalId + "/withdrawal"),
                form("reason", "Agreed to keep the price"));
        assertThat(withdrawn.body()).contains("The variation is withdrawn").doesNotContain("data-testid=\"proposal\"");

        // open, a cohort, and the provider's enrolment from the same page
        assertThat(arranger.postAndFollow(path(bondId, "opening"), Map.of()).body()).contains("The bond is open.");
        assertThat(bond(bondId).get("status").asText()).isEqualTo("OPEN");
        assertThat(arranger.postAndFollow(path(bondId, "cohorts"), form("cohortId", "c1", "name", "Cohort 1",
                "size", "10", "startDate", "2019-01-01")).body()).contains("Cohort c1 opened.");
        PageSession provider = PageSession.signIn(node.node().baseUrl(), "provider");
        String providerPage = provider.get("/app/bonds/" + bondId).body();
        assertThat(providerPage).contains("id=\"act-enrol\"").doesNotContain("id=\"act-call\"").doesNotContain("id=\"act-open\"");
        assertThat(provider.postAndFollow("/app/provider/bonds/" + bondId + "/participants", form("cohortId", "c1",
                "participants", "participantRef\np-1\np-2\n")).body()).contains("2 participants enrolled in cohort c1.");
        PageSession.Page uploaded = provider.postFile("/app/provider/bonds/" + bondId + "/participants", Map.of("cohortId", "c1"),
                "file", "participants.csv", "participantRef,note\r\np-3,from the CSV\r\np-4,\r\n");
        assertThat(uploaded.status()).isEqualTo(302);
        assertThat(provider.get("/app/bonds/" + bondId).body()).contains("2 participants enrolled in cohort c1.");
        // the evaluator's form offers the participants enrolled either way
        String evaluatorPage = PageSession.signIn(node.node().baseUrl(), "evaluator").get("/app/evaluator").body();
        String card = evaluatorPage.substring(evaluatorPage.indexOf("data-bond=\"" + bondId + "\""));
        assertThat(card).contains(">p-1<").contains(">p-2<").contains(">p-3<").contains(">p-4<")
                .doesNotContain(">participantRef<").doesNotContain("from the CSV");

        // a capital call: refused at its field with what was typed kept, then shown, confirmed and funded
        PageSession.Page tooMuch = arranger.postAndFollow(path(bondId, "capital-calls/preview"),
                form("amount", "20000.00", "dueDate", "2019-02-01"));
        assertThat(fieldError(tooMuch.body(), "act-call-amount")).contains("exceeds the uncalled commitments of 10000.00");
        assertThat(tooMuch.body()).contains("value=\"20000.00\"").contains("value=\"2019-02-01\"")
                .contains("aria-invalid=\"true\"").contains("<details id=\"act-call\" open");
        PageSession.Page callPreview = arranger.post(path(bondId, "capital-calls/preview"),
                form("amount", "10000.00", "dueDate", "2019-02-01"));
        assertThat(callPreview.body()).contains("Confirm the capital call").contains("<bdi>investor</bdi>")
                .contains("£10,000.00").doesNotContain("<bdi>investor2</bdi>");
        PageSession.Page called = confirm(arranger, callPreview);
        Matcher callId = Pattern.compile("Capital call (call-[0-9a-f-]+) of £10,000.00 made").matcher(called.body());
        assertThat(callId.find()).as(called.body()).isTrue();
        node.api("investor").post("/api/bonds/" + bondId + "/capital-calls/" + callId.group(1) + "/fundings", """
                {"amount": "10000.00"}""").expect(201);
        assertThat(arranger.get("/app/bonds/" + bondId).body()).contains("The bond holds £10,000.00 in cash now.");

        // pay the provider, then distribute with the waterfall shown first
        PageSession.Page disbursePreview = arranger.post(path(bondId, "disbursements/preview"),
                form("providerId", "provider", "amount", "6000.00"));
        assertThat(disbursePreview.body()).contains("£6,000.00 paid to provider; the bond will hold £4,000.00 after.");
        assertThat(confirm(arranger, disbursePreview).body()).contains("£6,000.00 paid to provider.");
        PageSession.Page waterfall = arranger.post(path(bondId, "distributions/preview"),
                form("amount", "3000.00", "date", "2020-01-01"));
        assertThat(waterfall.body()).contains("Confirm the distribution").contains("Principal back")
                .contains("<bdi>investor</bdi>").contains("<bdi>senior</bdi>").contains("£3,000.00");
        assertThat(node.api("investor").get("/api/bonds/" + bondId + "/history?size=200").expect(200).toString())
                .doesNotContain("DistributionMade");
        assertThat(confirm(arranger, waterfall).body()).contains("Distribution of £3,000.00 made to the investors.");
        assertThat(node.api("investor").get("/api/bonds/" + bondId + "/history?size=200").expect(200).toString())
                .contains("DistributionMade");

        // mature, call the guarantee, and close once the cash is distributed
        assertThat(arranger.postAndFollow(path(bondId, "maturity"), Map.of()).body()).contains("The bond has matured.");
        PageSession.Page guarantee = arranger.post(path(bondId, "guarantee-call/preview"), form("date", "2022-04-01"));
        assertThat(guarantee.body()).contains("Confirm the guarantee call").contains("<bdi>investor2</bdi>")
                .contains("<bdi>investor</bdi>");
        assertThat(confirm(arranger, guarantee).body()).contains("The guarantees are called");
        assertThat(node.api("investor").get("/api/bonds/" + bondId + "/history?size=200").expect(200).toString())
                .contains("GuaranteeCalled");
        PageSession.Page notYet = arranger.postAndFollow(path(bondId, "closing"), Map.of());
        assertThat(fieldError(notYet.body(), "act-close-form")).contains("distribute it before closing");
        assertThat(bond(bondId).get("status").asText()).isEqualTo("MATURED");
        PageSession.Page rest = arranger.post(path(bondId, "distributions/preview"), form("amount", "1000.00", "date", "2022-04-02"));
        confirm(arranger, rest);
        PageSession.Page closed = arranger.postAndFollow(path(bondId, "closing"), Map.of());
        assertThat(closed.body()).contains("The bond is closed.").doesNotContain("id=\"act-close\"");
        assertThat(bond(bondId).get("status").asText()).isEqualTo("CLOSED");

        // every step is on the bond's record as its arranger's (the provider's for the enrolment)
        List<String> types = new ArrayList<>();
        for (JsonNode e : node.api("arranger").get("/api/bonds/" + bondId + "/history?size=200").expect(200).get("items")) {
            types.add(e.get("type").asText());
        }
        assertThat(types).contains("PartyAdmitted", "AmendmentProposed", "AmendmentDeclined", "BondOpened", "CohortOpened",
                "ParticipantsEnrolled", "CapitalCalled", "FundsDisbursed", "DistributionMade", "BondMatured",
                "GuaranteeCalled", "BondClosed");
    }

    @Test
    void noOneButTheBondsArrangerSeesTheStepsAndTheServerRefusesTheirPosts() {
        String bondId = "arranger-only";
        node.api("arranger").post("/api/bonds", Terms.rateCard(bondId)).expect(201);
        node.api("investor").post("/api/bonds/" + bondId + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        for (String user : List.of("investor", "payer", "evaluator", "admin")) {
            PageSession other = PageSession.signIn(node.node().baseUrl(), user);
            assertThat(other.get("/app/bonds/" + bondId).body()).as(user).doesNotContain("data-testid=\"actions\"")
                    .doesNotContain("/app/arranger/bonds/");
            PageSession.Page refused = other.post(path(bondId, "opening"), Map.of());
            assertThat(refused.status()).as(user).isEqualTo(403);
            assertThat(refused.body()).as(user).contains("This page is not for you").contains("class=\"top\"");
        }
        // the provider sees only its enrolment (none until a cohort is open), and cannot take the arranger's steps
        PageSession provider = PageSession.signIn(node.node().baseUrl(), "provider");
        assertThat(provider.get("/app/bonds/" + bondId).body()).doesNotContain("id=\"act-open\"");
        assertThat(provider.post(path(bondId, "opening"), Map.of()).status()).isEqualTo(403);
        // an investor cannot enrol either
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        investor.get("/app/bonds/" + bondId);
        assertThat(investor.post("/app/provider/bonds/" + bondId + "/participants", form("cohortId", "c1",
                "participants", "p-9")).status()).isEqualTo(403);
        assertThat(bond(bondId).get("status").asText()).isEqualTo("STRUCTURED");
    }

    @Test
    void aRefusalIsSaidAtItsFieldInWordsWithWhatWasTypedKept() {
        String bondId = "arranger-refusals";
        node.api("arranger").post("/api/bonds", Terms.rateCard(bondId)).expect(201);
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        arranger.get("/app/bonds/" + bondId);

        // the bond refuses to open without a commitment: said at the form, nothing recorded
        PageSession.Page noCommitment = arranger.postAndFollow(path(bondId, "opening"), Map.of());
        assertThat(noCommitment.body()).contains("id=\"act-open-form-error\"")
                .contains("A bond cannot open without any investor commitment").contains("<details id=\"act-open\" open");
        assertThat(bond(bondId).get("status").asText()).isEqualTo("STRUCTURED");

        // a party id the bond does not take is said at that field, with the role chosen and the id typed kept
        PageSession.Page badParty = arranger.postAndFollow(path(bondId, "parties"), form("role", "EVALUATOR", "partyId", "Evaluator Two"));
        assertThat(fieldError(badParty.body(), "act-party-partyId")).contains("must be 1 to 64 characters");
        assertThat(badParty.body()).contains("value=\"Evaluator Two\"").contains("<option value=\"EVALUATOR\" selected=\"selected\"");

        // a cohort's fields are checked before anything is sent: each problem under its field
        PageSession.Page badCohort = arranger.postAndFollow(path(bondId, "cohorts"), form("cohortId", "c9", "size", "ten"));
        assertThat(fieldError(badCohort.body(), "act-cohort-name")).isEqualTo("Fill this in.");
        assertThat(fieldError(badCohort.body(), "act-cohort-size")).isEqualTo("Write a number, e.g. 25000.00.");
        assertThat(badCohort.body()).contains("value=\"c9\"").contains("value=\"ten\"");

        // a terms document that does not fit is said at the terms, pointing at what is wrong
        PageSession.Page badTerms = arranger.postAndFollow(path(bondId, "amendments"), form("terms", "{\"bondId\": \"" + bondId + "\"}",
                "reason", "r", "effectiveFrom", "2019-01-01"));
        assertThat(fieldError(badTerms.body(), "act-amend-terms")).contains("/currency");
        assertThat(badTerms.body()).contains("value=\"r\"");
        assertThat(node.api("arranger").get("/api/bonds/" + bondId + "/amendments").expect(200).has("open")).isFalse();

        // in Hebrew, the steps and the refusals the pages know speak Hebrew, right to left
        PageSession.Page hebrew = arranger.get("/app/bonds/" + bondId + "?lang=he");
        assertThat(hebrew.body()).contains("dir=\"rtl\"").contains("שלבים בחיי האגרה").contains("פתיחת האגרה")
                .contains("צירוף צד").contains("הצעת שינוי בתנאים").doesNotContain("Admit a party");
        PageSession.Page hebrewRefusal = arranger.postAndFollow(path(bondId, "opening"), Map.of());
        assertThat(hebrewRefusal.body()).contains("אי אפשר לפתוח אגרה בלי התחייבות של משקיע.");
        arranger.get("/app/bonds/" + bondId + "?lang=en");
    }
}
