package org.sibledger.api.web;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page that cannot be shown is answered by a page in the app's layout and the reader's language, with its status:
 * another role's page (403, refused by security before any controller), a bond that does not exist or is not the
 * reader's and a page that does not exist (404), a request without what it needs (400). The API keeps its problem JSON.
 */
class PageErrorsTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final String BOND = "errors-bond";

    @BeforeAll
    static void bond() {
        node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)).expect(201);
    }

    private static void assertPage(PageSession.Page page, int status, String title) {
        assertThat(page.status()).as(page.body()).isEqualTo(status);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<h1>" + title + "</h1>").contains("data-testid=\"error-page\"")
                .contains("href=\"/css/ledger.css\"").doesNotContain("Whitelabel").doesNotContain("\"type\":")
                .doesNotContain("Exception").doesNotContain("org.sibledger");
    }

    @Test
    void anotherRolesPageIsA403Page() {
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        assertPage(investor.get("/app/payer"), 403, "This page is not for you");
        investor.get("/app/investor?lang=he");
        assertPage(investor.get("/app/payer"), 403, "הדף הזה אינו מיועד לך");
        assertThat(investor.get("/app/payer").body()).contains("dir=\"rtl\"").contains("lang=\"he\"");
        // the reader is still signed in on it: its header offers signing out
        assertThat(investor.get("/app/payer").body()).contains("action=\"/logout\"");
    }

    @Test
    void anUnknownBondOrPageIsA404Page() {
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        assertPage(investor.get("/app/bonds/no-such-bond"), 404, "Nothing here");
        assertPage(investor.get("/app/no-such-page"), 404, "Nothing here");
        // a bond that exists but does not name this reader is told apart by nothing
        PageSession stranger = PageSession.signIn(node.node().baseUrl(), "investor2");
        PageSession.Page hidden = stranger.get("/app/bonds/" + BOND);
        PageSession.Page missing = stranger.get("/app/bonds/no-such-bond");
        assertPage(hidden, 404, "Nothing here");
        String csrf = "name=\"_csrf\" value=\"[^\"]+\"";
        assertThat(hidden.body().replace(BOND, "X").replaceAll(csrf, ""))
                .isEqualTo(missing.body().replace("no-such-bond", "X").replaceAll(csrf, ""));
        assertPage(investor.get("/app/bonds/no-such-bond?lang=he"), 404, "אין כאן דבר");
    }

    @Test
    void aRequestWithoutWhatItNeedsIsA400Page() {
        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");
        assertPage(payer.get("/app/payer/bonds/" + BOND + "/measurements/m-1/decision"), 400, "That request is not complete");
    }

    @Test
    void theApiKeepsItsProblemJson() {
        Api.Response answer = node.api("investor").get("/api/bonds/no-such-bond");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("code").asText()).isEqualTo("unknown-bond");
    }
}
