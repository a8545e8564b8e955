package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An investor's commitments and fundings from its own page over HTTP, as a browser's form posts reach them: it commits
 * to a tranche, increases and withdraws while the bond takes it, then funds its share of a capital call the arranger
 * made, the amount shown on a confirmation page before it is recorded (and recorded once however often confirmed);
 * each checked against what the API then reads. It sees only its own share of a call. A refusal is said at its field
 * in words with what was typed kept; a party of the bond that is not one of its investors gets the app's 403 page,
 * a principal the bond does not name its 404; the forms and refusals speak Hebrew.
 */
class InvestorFundingPagesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static String path(String bondId, String step) {
        return "/app/investor/bonds/" + bondId + "/" + step;
    }

    private static Map<String, List<String>> form(String... namesAndValues) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return form;
    }

    /** The text of the field error under the field {@code id}, or null. */
    private static String fieldError(String page, String id) {
        Matcher error = Pattern.compile("id=\"" + id + "-error\"[^>]*>([^<]*)<").matcher(page);
        return error.find() ? org.springframework.web.util.HtmlUtils.htmlUnescape(error.group(1)) : null;
    }

    /** The value the input {@code id} shows, or null. */
    private static String valueOf(String page, String id) {
        Matcher input = Pattern.compile("<input[^>]*id=\"" + id + "\"[^>]*value=\"([^\"]*)\"").matcher(page);
        return input.find() ? input.group(1) : null;
    }

    /** The investor's position in the bond's tranche as the API's portfolio read model holds it. */
    private static JsonNode position(String investor, String bondId, String tranche) {
        for (JsonNode p : node.api(investor).get("/api/investors/" + investor + "/portfolio").expect(200).get("positions")) {
            if (p.get("bondId").asText().equals(bondId) && p.get("tranche").asText().equals(tranche)) {
                return p;
            }
        }
        return null;
    }

    private static BigDecimal amount(JsonNode position, String figure) {
        return new BigDecimal(position.get(figure).get("amount").asText());
    }

    /** The fundings the bond recorded, as the investor reads them in its history: amount each. */
    private static List<String> fundings(String investor, String bondId) {
        List<String> amounts = new ArrayList<>();
        for (JsonNode e : node.api(investor).get("/api/bonds/" + bondId + "/history?size=200").expect(200).get("items")) {
            if (e.get("type").asText().equals("CapitalCallFunded") && e.at("/payload/investorId").asText().equals(investor)) {
                assertThat(e.get("actor").asText()).isEqualTo(investor);
                amounts.add(e.at("/payload/amount").asText());
            }
        }
        return amounts;
    }

    /** Confirms a confirmation page (a funding's, a commitment's): posts its hidden fields to its form's action. */
    private static PageSession.Page confirm(PageSession session, PageSession.Page preview) {
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        Matcher action = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\"").matcher(preview.body());
        assertThat(action.find()).isTrue();
        Map<String, List<String>> hidden = new LinkedHashMap<>();
        Matcher input = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(preview.body());
        while (input.find()) {
            if (!input.group(1).equals("_csrf")) {
                hidden.put(input.group(1), List.of(input.group(2)));
            }
        }
        assertThat(hidden).containsKeys("key");
        return session.postAndFollow(org.springframework.web.util.HtmlUtils.htmlUnescape(action.group(1)), hidden);
    }

    @Test
    void anInvestorCommitsIncreasesWithdrawsAndFundsItsCallFromItsPage() {
        String bondId = "inv-walk";
        node.api("arranger").post("/api/bonds", Terms.rateCard(bondId)).expect(201);
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        PageSession investor2 = PageSession.signIn(node.node().baseUrl(), "investor2");

        // a principal the bond does not name is told the bond is unknown, and nothing is recorded
        investor2.get("/app/investor");
        assertThat(investor2.post(path(bondId, "commitments"), form("tranche", "senior", "amount", "1000.00")).status())
                .isEqualTo(404);
        assertThat(investor2.post(path(bondId, "commitments/preview"), form("tranche", "senior", "amount", "1000.00"))
                .status()).isEqualTo(404);
        node.api("arranger").post("/api/bonds/" + bondId + "/parties", """
                {"role": "INVESTOR", "partyId": "investor2"}""").expect(201);

        // the bond's card offers a commitment in its tranches
        String page = investor.get("/app/investor").body();
        assertThat(page).contains("id=\"inv-" + bondId + "\"").contains("id=\"inv-" + bondId + "-commit\"")
                .contains("<option value=\"senior\">senior</option>")
                .doesNotContain("id=\"inv-" + bondId + "-increase\"");

        // what is not a number is said at the field before anything is sent, with what was typed kept
        PageSession.Page notANumber = investor.postAndFollow(path(bondId, "commitments/preview"), form("tranche", "senior", "amount", "ten thousand"));
        assertThat(fieldError(notANumber.body(), "inv-" + bondId + "-commit-amount")).isEqualTo("Write a number, e.g. 25000.00.");
        assertThat(valueOf(notANumber.body(), "inv-" + bondId + "-commit-amount")).isEqualTo("ten thousand");
        assertThat(notANumber.body()).contains("<details id=\"inv-" + bondId + "-commit\" open");
        assertThat(position("investor", bondId, "senior")).isNull();

        // commit, then increase: each shown first with what it comes to, recorded only when confirmed (once however
        // often), as the API reads it; going back from the confirmation records nothing
        PageSession.Page commitPreview = investor.post(path(bondId, "commitments/preview"), form("tranche", "senior", "amount", "10000.00"));
        assertThat(commitPreview.status()).as(commitPreview.body()).isEqualTo(200);
        assertThat(commitPreview.body()).contains("Confirm your commitment").contains("You commit £10,000.00 in tranche senior.")
                .containsPattern("data-testid=\"tranche-after\">£10,000.00<").containsPattern("data-testid=\"bond-after\">£10,000.00<")
                .contains("Nothing is recorded until you confirm.").contains("href=\"/app/investor#inv-" + bondId + "\"");
        assertThat(investor.get("/app/investor").body()).contains("id=\"inv-" + bondId + "-commit\"");
        assertThat(position("investor", bondId, "senior")).as("cancelled: nothing recorded").isNull();
        PageSession.Page committed = confirm(investor, commitPreview);
        assertThat(committed.body()).contains("You committed £10,000.00 in tranche senior.")
                .contains("id=\"inv-" + bondId + "-increase\"").contains("id=\"inv-" + bondId + "-withdraw\"");
        assertThat(amount(position("investor", bondId, "senior"), "committed")).isEqualByComparingTo("10000.00");
        // an amount the bond refuses is said at the field in plain words, with what was typed kept
        PageSession.Page tooFine = investor.postAndFollow(path(bondId, "commitments/increase/preview"), form("tranche", "senior", "amount", "2000.005"));
        assertThat(fieldError(tooFine.body(), "inv-" + bondId + "-increase-amount"))
                .isEqualTo("Write an amount above zero with no more decimals than the currency has, e.g. 2500.00.");
        assertThat(valueOf(tooFine.body(), "inv-" + bondId + "-increase-amount")).isEqualTo("2000.005");
        assertThat(tooFine.body()).contains("That step was not taken");
        PageSession.Page increasePreview = investor.post(path(bondId, "commitments/increase/preview"), form("tranche", "senior", "amount", "2000.00"));
        assertThat(increasePreview.body()).contains("Confirm the increase")
                .contains("You increase your commitment in tranche senior by £2,000.00.")
                .containsPattern("data-testid=\"tranche-after\">£12,000.00<").containsPattern("data-testid=\"bond-after\">£12,000.00<");
        assertThat(amount(position("investor", bondId, "senior"), "committed")).isEqualByComparingTo("10000.00");
        PageSession.Page increased = confirm(investor, increasePreview);
        assertThat(increased.body()).contains("Your commitment in tranche senior increased by £2,000.00.");
        confirm(investor, increasePreview);
        assertThat(amount(position("investor", bondId, "senior"), "committed")).isEqualByComparingTo("12000.00");

        // the other investor commits, withdraws before the bond opens, and commits again
        investor2.get("/app/investor");
        confirm(investor2, investor2.post(path(bondId, "commitments/preview"), form("tranche", "senior", "amount", "1000.00")));
        PageSession.Page withdrawal = investor2.post(path(bondId, "commitments/withdrawal/preview"), form("tranche", "senior"));
        assertThat(withdrawal.body()).contains("Confirm your withdrawal")
                .contains("You withdraw your whole commitment of £1,000.00 in tranche senior.")
                .containsPattern("data-testid=\"tranche-after\">£0.00<").doesNotContain("£12,000.00");
        assertThat(amount(position("investor2", bondId, "senior"), "committed")).isEqualByComparingTo("1000.00");
        PageSession.Page withdrawn = confirm(investor2, withdrawal);
        assertThat(withdrawn.body()).contains("Your commitment in tranche senior is withdrawn.");
        assertThat(amount(position("investor2", bondId, "senior"), "committed")).isEqualByComparingTo("0");
        investor2.postAndFollow(path(bondId, "commitments"), form("tranche", "senior", "amount", "4000.00"));

        // the arranger opens the bond and calls 8,000: 6,000 is asked of investor, 2,000 of investor2
        node.api("arranger").post("/api/bonds/" + bondId + "/opening", "").expect(200);
        String callId = node.api("arranger").post("/api/bonds/" + bondId + "/capital-calls", """
                {"amount": "8000.00", "dueDate": "2019-02-01"}""").expect(201).get("callId").asText();
        String fundId = "inv-" + bondId + "-fund-" + callId;
        PageSession.Page called = investor.get("/app/investor");
        String card = called.body().substring(called.body().indexOf("id=\"inv-" + bondId + "\""));
        assertThat(card).contains("data-call=\"" + callId + "\"").contains("1 Feb 2019").contains("£6,000.00")
                .doesNotContain("£2,000.00").doesNotContain("£8,000.00").doesNotContain("investor2")
                .doesNotContain("id=\"inv-" + bondId + "-commit\"").doesNotContain("id=\"inv-" + bondId + "-withdraw\"");
        assertThat(valueOf(card, fundId + "-amount")).as("prefilled with what is outstanding").isEqualTo("6000.00");
        String other = investor2.get("/app/investor").body();
        assertThat(valueOf(other, fundId + "-amount")).isEqualTo("2000.00");
        assertThat(other).doesNotContain("£6,000.00");

        // a withdrawal once the bond is open is refused in words at the form
        PageSession.Page late = investor.postAndFollow(path(bondId, "commitments/withdrawal/preview"), form("tranche", "senior"));
        assertThat(fieldError(late.body(), "inv-" + bondId + "-withdraw-form"))
                .isEqualTo("The bond is open: a commitment can be withdrawn only before it opens.");
        assertThat(amount(position("investor", bondId, "senior"), "committed")).isEqualByComparingTo("12000.00");

        // more than is outstanding is refused at the amount, what was typed kept, nothing recorded
        PageSession.Page tooMuch = investor.postAndFollow(path(bondId, "capital-calls/" + callId + "/fundings/preview"),
                form("amount", "6000.01"));
        assertThat(fieldError(tooMuch.body(), fundId + "-amount"))
                .isEqualTo("That is more than you still owe on this call: £6,000.00 is outstanding.");
        assertThat(valueOf(tooMuch.body(), fundId + "-amount")).isEqualTo("6000.01");
        assertThat(tooMuch.body()).contains("<details id=\"" + fundId + "\" open").contains("aria-invalid=\"true\"");
        assertThat(fundings("investor", bondId)).isEmpty();
        // a call the bond does not have is said on the bond's card
        assertThat(investor.postAndFollow(path(bondId, "capital-calls/call-none/fundings/preview"), form("amount", "1.00"))
                .body()).contains("The bond has no such capital call.");

        // a part funded: shown first, recorded only when confirmed, and once however often the confirmation is sent
        PageSession.Page preview = investor.post(path(bondId, "capital-calls/" + callId + "/fundings/preview"),
                form("amount", "2500.00"));
        assertThat(preview.body()).contains("Confirm your funding").contains("You pay £2,500.00 towards capital call " + callId)
                .contains("<bdi>senior</bdi>").contains("Still to pay on this call after it: £3,500.00")
                .contains("Nothing is recorded until you confirm.");
        assertThat(fundings("investor", bondId)).isEmpty();
        PageSession.Page funded = confirm(investor, preview);
        assertThat(funded.body()).contains("Your funding of £2,500.00 towards capital call " + callId + " is recorded.");
        assertThat(valueOf(funded.body(), fundId + "-amount")).isEqualTo("3500.00");
        confirm(investor, preview);
        assertThat(fundings("investor", bondId)).containsExactly("2500.00");
        assertThat(amount(position("investor", bondId, "senior"), "funded")).isEqualByComparingTo("2500.00");

        // the rest: the call is then funded and offers no more funding
        PageSession.Page rest = confirm(investor, investor.post(path(bondId, "capital-calls/" + callId + "/fundings/preview"),
                form("amount", "3500.00")));
        assertThat(rest.body()).doesNotContain("id=\"" + fundId + "\"");
        assertThat(fundings("investor", bondId)).containsExactly("2500.00", "3500.00");
        assertThat(amount(position("investor", bondId, "senior"), "funded")).isEqualByComparingTo("6000.00");
    }

    @Test
    void aPartyThatIsNoInvestorOfTheBondGetsTheForbiddenPage() {
        String bondId = "inv-others";
        // investor2 holds the investor role but this bond names it only as its reviewer
        node.api("arranger").post("/api/bonds", Terms.rateCard(bondId).replace("\"reviewers\": [\"reviewer\"]",
                "\"reviewers\": [\"investor2\"]")).expect(201);
        PageSession reviewer = PageSession.signIn(node.node().baseUrl(), "investor2");
        reviewer.get("/app/investor");
        PageSession.Page refused = reviewer.post(path(bondId, "commitments"), form("tranche", "senior", "amount", "1000.00"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("This page is not for you").contains("class=\"top\"");
        assertThat(reviewer.get("/app/investor").body()).doesNotContain("id=\"inv-" + bondId + "\"");
        // a payer of the bond is no investor either
        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");
        payer.get("/app/payer");
        PageSession.Page payerRefused = payer.post(path(bondId, "commitments"), form("tranche", "senior", "amount", "1000.00"));
        assertThat(payerRefused.status()).isEqualTo(403);
        assertThat(payerRefused.body()).contains("This page is not for you");
        // nor are the confirmations, which show an investor's own commitment, for anyone but the bond's investors
        for (String preview : java.util.List.of("commitments/preview", "commitments/increase/preview",
                "commitments/withdrawal/preview")) {
            assertThat(payer.post(path(bondId, preview), form("tranche", "senior", "amount", "1000.00")).status())
                    .as(preview).isEqualTo(403);
            assertThat(reviewer.post(path(bondId, preview), form("tranche", "senior", "amount", "1000.00")).status())
                    .as(preview).isEqualTo(403);
        }
        assertThat(node.api("arranger").get("/api/bonds/" + bondId + "/history?size=200").expect(200).toString())
                .doesNotContain("CommitmentMade");
    }

    @Test
    void theFormsAndTheirRefusalsSpeakHebrew() {
        String bondId = "inv-hebrew";
        node.api("arranger").post("/api/bonds", Terms.rateCard(bondId)).expect(201);
        node.api("investor").post("/api/bonds/" + bondId + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""").expect(201);
        node.api("arranger").post("/api/bonds/" + bondId + "/opening", "").expect(200);
        String callId = node.api("arranger").post("/api/bonds/" + bondId + "/capital-calls", """
                {"amount": "400.00", "dueDate": "2019-02-01"}""").expect(201).get("callId").asText();
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        PageSession.Page hebrew = investor.get("/app/investor?lang=he");
        assertThat(hebrew.body()).contains("dir=\"rtl\"").contains("ההתחייבויות וקריאות ההון שלך").contains("קריאות הון")
                .contains("נותר לתשלום").contains("מימון קריאה").doesNotContain("Still to pay").doesNotContain("Capital calls");
        PageSession.Page refusal = investor.postAndFollow(path(bondId, "capital-calls/" + callId + "/fundings/preview"),
                form("amount", "500.00"));
        assertThat(fieldError(refusal.body(), "inv-" + bondId + "-fund-" + callId + "-amount"))
                .startsWith("זה יותר ממה שנותר לך לשלם בקריאה זו");
        PageSession.Page preview = investor.post(path(bondId, "capital-calls/" + callId + "/fundings/preview"),
                form("amount", "400.00"));
        assertThat(preview.body()).contains("dir=\"rtl\"").contains("אישור המימון שלך").contains("רישום המימון");
        assertThat(confirm(investor, preview).body()).contains("נרשם");
        assertThat(fundings("investor", bondId)).containsExactly("400.00");

        // a commitment's confirmation in Hebrew: the amount and the tranche isolated inside the sentence
        String structured = "inv-hebrew-commit";
        node.api("arranger").post("/api/bonds", Terms.rateCard(structured)).expect(201);
        investor.get("/app/investor?lang=he");
        PageSession.Page commit = investor.post(path(structured, "commitments/preview"),
                form("tranche", "senior", "amount", "1000.00"));
        assertThat(org.springframework.web.util.HtmlUtils.htmlUnescape(commit.body())).contains("dir=\"rtl\"")
                .contains("אישור ההתחייבות שלך").contains("אתם מתחייבים ל-\u2068\u200f1,000.00\u00a0£\u2069 בשכבה \u2068senior\u2069.")
                .contains("רישום ההתחייבות").doesNotContain("Confirm your commitment");
        assertThat(position("investor", structured, "senior")).isNull();
        assertThat(confirm(investor, commit).body()).contains("התחייבתם ל-");
        assertThat(amount(position("investor", structured, "senior"), "committed")).isEqualByComparingTo("1000.00");
        investor.get("/app/investor?lang=en");
    }
}
