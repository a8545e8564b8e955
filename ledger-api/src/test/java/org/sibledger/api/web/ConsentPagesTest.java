package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A variation of the terms answered from the bond's page over HTTP, as a browser's form posts reach it: each party
 * whose consent it awaits sees the proposed change with the buttons to consent or to decline, and its answer is the
 * same command the API takes; a party whose consent is not needed, or already given, sees no button and gets the 403
 * page if it posts anyway; a decline asks a reason; what the bond refuses is said in words, in Hebrew too.
 */
class ConsentPagesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    /** A rate-card bond with the investor's commitment, and a variation of its price proposed by the arranger. */
    private static String proposed(String bondId) {
        node.api("arranger").post("/api/bonds", Terms.rateCard(bondId)).expect(201);
        node.api("investor").post("/api/bonds/" + bondId + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post("/api/bonds/" + bondId + "/amendments", """
                {"terms": %s, "reason": "Price reviewed with the payer", "effectiveFrom": "2019-01-01"}"""
                .formatted(Terms.rateCard(bondId).replace("2750.00", "3125.00"))).expect(201);
        JsonNode open = amendments(bondId).get("open");
        // the price is what the investor is paid by: the payer and the investor must both consent
        assertThat(open.get("awaiting").toString()).isEqualTo("[\"payer\",\"investor\"]");
        return open.get("proposalId").asText();
    }

    private static JsonNode amendments(String bondId) {
        return node.api("arranger").get("/api/bonds/" + bondId + "/amendments").expect(200);
    }

    private static List<String> history(String bondId) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : node.api("arranger").get("/api/bonds/" + bondId + "/history?size=200").expect(200).get("items")) {
            lines.add(e.get("type").asText() + " by " + e.path("actor").asText());
        }
        return lines;
    }

    private static String path(String bondId, String proposalId, String answer) {
        return "/app/bonds/" + bondId + "/amendments/" + proposalId + "/" + answer;
    }

    private static Map<String, List<String>> reason(String reason) {
        return Map.of("reason", List.of(reason));
    }

    /** The proposal's card on the bond's page, from its start to the end of its section. */
    private static String proposalCard(String page) {
        int start = page.indexOf("data-testid=\"proposal\"");
        assertThat(start).as("the page shows the variation").isPositive();
        return page.substring(start, page.indexOf("</section>", start));
    }

    @Test
    void eachAwaitedPartyConsentsFromTheBondPageAndTheLastConsentPutsTheTermsInForce() {
        String bondId = "consent-walk";
        String proposalId = proposed(bondId);

        // the payer sees the change and its two buttons; parties whose consent is not needed see the change only
        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");
        String payerCard = proposalCard(payer.get("/app/bonds/" + bondId).body());
        assertThat(payerCard).contains("3125.00").contains("2750.00").contains("Price reviewed with the payer")
                .contains("This variation awaits your consent").contains("id=\"consent-button\"")
                .contains("id=\"decline-button\"").contains("action=\"" + path(bondId, proposalId, "consent") + "\"");
        for (String user : List.of("evaluator", "provider", "reviewer", "arranger", "admin")) {
            PageSession other = PageSession.signIn(node.node().baseUrl(), user);
            String card = proposalCard(other.get("/app/bonds/" + bondId).body());
            assertThat(card).as(user).contains("3125.00").doesNotContain("consent-button").doesNotContain("decline-button")
                    .doesNotContain("/consent\"");
            PageSession.Page consent = other.post(path(bondId, proposalId, "consent"), Map.of());
            assertThat(consent.status()).as(user).isEqualTo(403);
            assertThat(consent.body()).as(user).contains("This page is not for you").contains("class=\"top\"");
            assertThat(other.post(path(bondId, proposalId, "decline"), reason("no")).status()).as(user).isEqualTo(403);
        }
        // who is no party of the bond is told the bond is unknown, as the API tells it
        PageSession stranger = PageSession.signIn(node.node().baseUrl(), "investor2");
        stranger.get("/app/bonds");
        assertThat(stranger.post(path(bondId, proposalId, "consent"), Map.of()).status()).isEqualTo(404);
        assertThat(amendments(bondId).at("/open/consentedBy").toString()).isEqualTo("[]");

        // the payer's own page points at the bond whose variation awaits it
        assertThat(payer.get("/app/payer").body()).contains("data-testid=\"consents-awaited\"")
                .contains("href=\"/app/bonds/" + bondId + "#proposal\"");

        // the payer consents: recorded as its own, the variation still awaits the investor
        PageSession.Page consented = payer.postAndFollow(path(bondId, proposalId, "consent"), Map.of());
        assertThat(consented.body()).contains("Your consent is recorded. The variation still awaits the others listed.");
        assertThat(proposalCard(consented.body())).doesNotContain("consent-button").containsPattern(
                "Consented</span>:\\s*<bdi>payer</bdi>");
        assertThat(amendments(bondId).at("/open/awaiting").toString()).isEqualTo("[\"investor\"]");
        // a consent already given is not given twice
        PageSession.Page again = payer.post(path(bondId, proposalId, "consent"), Map.of());
        assertThat(again.status()).isEqualTo(403);
        assertThat(history(bondId)).containsOnlyOnce("AmendmentConsented by payer");

        assertThat(payer.get("/app/payer").body()).doesNotContain("href=\"/app/bonds/" + bondId + "#proposal\"");

        // the investor answers in Hebrew: the buttons in its words, and its consent, the last, puts the terms in force
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        assertThat(investor.get("/app/investor").body()).contains("href=\"/app/bonds/" + bondId + "#proposal\"");
        String hebrew = investor.get("/app/bonds/" + bondId + "?lang=he").body();
        assertThat(hebrew).contains("dir=\"rtl\"");
        assertThat(proposalCard(hebrew)).contains("השינוי הזה ממתין להסכמתך").contains("הסכמה לשינוי")
                .contains("דחיית השינוי").doesNotContain("Consent to the variation");
        PageSession.Page inForce = investor.postAndFollow(path(bondId, proposalId, "consent"), Map.of());
        assertThat(inForce.body()).contains("הסכמתך נרשמה, והיא הייתה האחרונה").doesNotContain("data-testid=\"proposal\"");
        assertThat(amendments(bondId).has("open")).isFalse();
        assertThat(node.api("arranger").get("/api/bonds/" + bondId).expect(200)
                .at("/terms/paymentMechanism/prices/0/price").asText()).isEqualTo("3125.00");
        assertThat(history(bondId)).contains("AmendmentConsented by investor").anyMatch(l -> l.startsWith("TermsAmended"));
        investor.get("/app/bonds/" + bondId + "?lang=en");
        // the page of an answer that came after the variation ended says so in words
        PageSession.Page late = payer.postAndFollow(path(bondId, proposalId, "decline"), reason("too late"));
        assertThat(late.body()).contains("This variation no longer awaits consent");
    }

    @Test
    void aDeclineAsksAReasonAndEndsTheVariation() {
        String bondId = "consent-decline";
        String proposalId = proposed(bondId);
        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");
        payer.get("/app/bonds/" + bondId);

        // without a reason nothing is recorded: said at the reason's field, the decline form open
        PageSession.Page noReason = payer.postAndFollow(path(bondId, proposalId, "decline"), reason("  "));
        assertThat(noReason.body()).contains("id=\"decline-reason-error\"")
                .contains("Give a reason: it is kept on the bond&#39;s record with your answer.")
                .contains("<details id=\"decline\" open").contains("aria-invalid=\"true\"");
        assertThat(amendments(bondId).at("/open/proposalId").asText()).isEqualTo(proposalId);
        // in Hebrew too
        payer.get("/app/bonds/" + bondId + "?lang=he");
        assertThat(payer.postAndFollow(path(bondId, proposalId, "decline"), Map.of()).body())
                .contains("יש לתת נימוק: הוא נשמר ברשומת האגרה");
        payer.get("/app/bonds/" + bondId + "?lang=en");

        PageSession.Page declined = payer.postAndFollow(path(bondId, proposalId, "decline"),
                reason("The budget does not stretch to it"));
        assertThat(declined.body()).contains("You declined the variation; the terms in force stay as they are.")
                .doesNotContain("data-testid=\"proposal\"");
        assertThat(amendments(bondId).has("open")).isFalse();
        assertThat(history(bondId)).contains("AmendmentDeclined by payer");
        assertThat(node.api("arranger").get("/api/bonds/" + bondId).expect(200)
                .at("/terms/paymentMechanism/prices/0/price").asText()).isEqualTo("2750.00");
    }

    @Test
    void aConsentTheBondRefusesIsToldInPlainWordsInEitherLanguage() {
        // a variation still open when the bond closed can no longer take effect: the bond refuses the consent
        String bondId = "consent-closed";
        String proposalId = proposed(bondId);
        for (String step : List.of("opening", "maturity", "closing")) {
            node.api("arranger").post("/api/bonds/" + bondId + "/" + step, "").expect(200);
        }
        assertThat(node.api("arranger").get("/api/bonds/" + bondId).expect(200).get("status").asText()).isEqualTo("CLOSED");
        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");
        assertThat(proposalCard(payer.get("/app/bonds/" + bondId).body())).contains("id=\"consent-button\"");

        PageSession.Page refused = payer.postAndFollow(path(bondId, proposalId, "consent"), Map.of());
        assertThat(refused.body()).contains("data-testid=\"consent-problem\"")
                .contains("Your answer was not recorded: The bond is CLOSED; proposal &#39;" + proposalId
                        + "&#39; can no longer take effect");
        payer.get("/app/bonds/" + bondId + "?lang=he");
        PageSession.Page hebrew = payer.postAndFollow(path(bondId, proposalId, "consent"), Map.of());
        assertThat(hebrew.body()).contains("התשובה שלך לא נרשמה: האגרה סגורה; השינוי \u2068" + proposalId
                + "\u2069 כבר לא ייכנס לתוקף.").doesNotContain("The bond is CLOSED");
        payer.get("/app/bonds/" + bondId + "?lang=en");
        assertThat(amendments(bondId).at("/open/consentedBy").toString()).isEqualTo("[]");
        assertThat(history(bondId)).noneMatch(l -> l.startsWith("AmendmentConsented"));
    }
}
