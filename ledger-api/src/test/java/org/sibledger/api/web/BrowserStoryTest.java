package org.sibledger.api.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.Browser;
import org.sibledger.api.support.LedgerNodeExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bond's whole life in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs), the
 * way its parties use the pages: the arranger structures the bond with the guided terms form (a refusal said at its
 * field first), opens it and a cohort from the bond's page and calls capital (the amounts shown, then confirmed, in
 * Hebrew); the service provider enrols the cohort from the same page; the evaluator uploads claims (a file with bad
 * rows first: every bad row reported, nothing recorded); the payer approves them with a reason and settles both
 * payouts under payment references; the arranger pays the provider and distributes (the waterfall previewed, then
 * confirmed); and the investor's page shows what it received and its IRR, only its own position, in both languages.
 * The investors commit and fund the capital call through the API, as a client program would (the call found in the
 * bond's history as the API shows it to each); their pages for it are InvestorFundingBrowserTest's. Each step leaves
 * a screenshot in target/screenshots/. Every page the story reaches (sign-in, the bonds, the arranger's page, the
 * terms form's start and form, the bond's page with each party's steps, the confirmations of a capital call, a
 * disbursement and a distribution, the evaluator's, the payer's queue and its confirmation, the investor's, a
 * variation awaiting the payer's consent, the 403 and 404 pages) is audited with axe (WCAG 2.1 AA) and at a phone's
 * width (every action within the viewport) in English and in Hebrew ({@link Browser}).
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): its node has a database and a Kafka broker
 * of its own ({@link org.sibledger.api.support.LedgerNodeExtension}), and it asserts nothing of the shared servers.
 */
@org.sibledger.api.support.RequiresChromium
@Execution(ExecutionMode.CONCURRENT)
class BrowserStoryTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final String BOND = "web-bond";
    private static Browser b;
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() {
        b = Browser.start(node.node().baseUrl(), Browser.DESKTOP, true, Path.of("target", "screenshots"));
        browser = b.driver();
    }

    @AfterAll
    static void closeBrowser() {
        if (b != null) {
            b.close();
        }
    }

    @Test
    void aBondsWholeLifeThroughItsPages() throws IOException {
        b.open("/login?lang=en");
        b.auditInBothLanguages("sign-in");
        structureByForm();
        commitByApi();
        openCallAndEnrolFromTheBondsPage();
        fundByApi();
        evaluatorSubmitsAndPayerApprovesAndSettles();
        arrangerDisburseAndDistributes();
        investorsSeeTheirReturns();
        aVariationAwaitsThePayersConsent();
        arrangersPagesAndTheErrorPages();
    }

    // ------------------------------------------------------------------------------ the arranger structures the bond

    /**
     * The arranger structures the bond with the guided form: started blank for a rate card, one row added for the second
     * investor, a bond id the ledger refuses said at its field with everything typed kept, then structured.
     */
    private void structureByForm() throws IOException {
        b.signIn("arranger");
        b.open("/app/bonds");
        b.auditInBothLanguages("bonds");
        b.open("/app/arranger");
        b.assertEveryFieldIsLabelled();
        b.auditInBothLanguages("arranger");
        waitFor(By.cssSelector("[data-testid=structure-by-form]")).click();
        waitFor(By.id("start-with-mechanism"));
        assertEveryFieldIsLabelled();
        b.auditInBothLanguages("terms form's start");
        browser.get(url("/app/arranger/terms?mechanism=RATE_CARD&lang=he"));
        waitFor(By.cssSelector("[data-mechanism=RATE_CARD]"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("dir")).isEqualTo("rtl");
        assertEveryFieldIsLabelled();
        shot("01-terms-form-hebrew");
        b.auditInBothLanguages("terms form");
        browser.get(url("/app/arranger/terms?lang=en"));
        waitFor(By.id("mechanism-RATE_CARD")).click();
        click(browser.findElement(By.id("start-with-mechanism")));
        waitFor(By.cssSelector("[data-mechanism=RATE_CARD]"));
        assertEveryFieldIsLabelled();
        assertThat(browser.findElement(By.id("arranger")).getAttribute("value")).isEqualTo("arranger");

        type("investors-0-id", "investor");
        click(browser.findElement(By.id("add-investors")));
        assertThat(waitFor(By.id("investors-0-id")).getAttribute("value")).as("typed before the row was added").isEqualTo("investor");
        type("investors-1-id", "investor2");
        type("bondId", "Web Bond");
        type("name", "Care leavers rate card, by form");
        type("currency", "GBP");
        type("contractCap", "2250000.00");
        typeDate("serviceStart", LocalDate.of(2018, 10, 1));
        typeDate("serviceEnd", LocalDate.of(2022, 3, 31));
        type("payers-0-id", "payer");
        assertThat(browser.findElement(By.id("payers-0-share")).getAttribute("value")).isEqualTo("1");
        type("payers-0-cap", "2250000.00");
        type("evaluators-0-id", "evaluator");
        type("reviewers-0-id", "reviewer");
        type("providers-0-id", "provider");
        type("metrics-0-id", "earns-768");
        type("metrics-0-name", "Earns GBP 768");
        type("rateCard-prices-0-metric", "earns-768");
        type("rateCard-prices-0-price", "2750.00");
        assertThat(browser.findElement(By.id("tranches-0-id")).getAttribute("value")).isEqualTo("senior");
        type("tranches-0-returnCapIrr", "0.15");
        int eventsBefore = events();
        click(browser.findElement(By.id("structure")));
        // a bond id with capitals and a space: refused at its field, in words, nothing recorded, nothing typed lost
        WebElement refused = waitFor(By.id("bondId-error"));
        assertThat(refused.getText()).isNotBlank().doesNotContain("[a-z");
        assertThat(browser.findElement(By.id("bondId")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("investors-1-id")).getAttribute("value")).isEqualTo("investor2");
        assertThat(browser.findElement(By.id("serviceEnd")).getAttribute("value")).isEqualTo("2022-03-31");
        assertThat(events()).isEqualTo(eventsBefore);
        shot("02-terms-form-refused");
        b.audit("terms form, with a refusal");
        type("bondId", BOND);
        click(browser.findElement(By.id("structure")));
        assertThat(waitFor(By.cssSelector("p.notice")).getText()).contains(BOND);
        shot("03-arranger-structured");
        signOut();
    }

    /** Commitments: each investor commits through the API (as a client program would). */
    private void commitByApi() {
        ok(node.api("investor").post("/api/bonds/" + BOND + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}"""), 201);
        ok(node.api("investor2").post("/api/bonds/" + BOND + "/commitments", """
                {"tranche": "senior", "amount": "3000.00"}"""), 201);
    }

    /**
     * From the bond's page: the arranger opens the bond and a cohort, and calls capital (in Hebrew: the amounts shown,
     * then confirmed); the service provider enrols the cohort's participants from the same page.
     */
    private void openCallAndEnrolFromTheBondsPage() throws IOException {
        signIn("arranger");
        browser.get(url("/app/arranger"));
        click(waitFor(By.cssSelector("main a[href$='/app/bonds/" + BOND + "']")));
        waitFor(By.id("actions"));
        assertThat(browser.findElement(By.cssSelector("main .status")).getText()).startsWith("Structured");
        openEveryStep();
        assertEveryFieldIsLabelled();
        b.audit("bond page, the arranger's steps");
        shot("04-arranger-steps");

        step("act-open");
        click(browser.findElement(By.id("act-open-button")));
        assertThat(notice()).isEqualTo("The bond is open.");
        assertThat(browser.findElement(By.cssSelector("main .status")).getText()).isEqualTo("Open");

        step("act-cohort");
        type("act-cohort-cohortId", "c1");
        type("act-cohort-name", "Cohort 1");
        type("act-cohort-size", "10");
        typeDate("act-cohort-startDate", LocalDate.of(2019, 1, 1));
        click(browser.findElement(By.id("act-cohort-button")));
        assertThat(notice()).isEqualTo("Cohort c1 opened.");
        shot("05-arranger-opened");

        // the call's amounts to confirm, in English (left unconfirmed), then in Hebrew with every step, and confirmed
        int eventsBefore = events();
        previewCall();
        b.audit("capital call to confirm");
        b.speak("he", "/app/bonds/" + BOND);
        waitFor(By.id("actions"));
        openEveryStep();
        assertEveryFieldIsLabelled();
        b.audit("bond page, the arranger's steps");
        previewCall();
        WebElement call = waitFor(By.cssSelector("[data-confirm=call]"));
        assertThat(events()).as("nothing is recorded before the call is confirmed").isEqualTo(eventsBefore);
        List<WebElement> lines = call.findElements(By.cssSelector("[data-testid=lines] tbody tr"));
        assertThat(lines).hasSize(2);
        // amounts as Hebrew writes them (the sign after the number), so only their digits are compared
        assertThat(lines.stream().map(WebElement::getText).toList())
                .anyMatch(t -> t.contains("investor2") && t.contains("3,000.00"))
                .anyMatch(t -> t.contains("investor") && !t.contains("investor2") && t.contains("1,000.00"));
        assertThat(call.findElement(By.cssSelector("[data-testid=total]")).getText()).contains("4,000.00").contains("£");
        shot("06-capital-call-confirm-hebrew");
        b.audit("capital call to confirm");
        click(browser.findElement(By.id("confirm")));
        assertThat(notice()).startsWith("הקריאה להון \u2068call-").contains("4,000.00");
        browser.get(url("/app/bonds/" + BOND + "?lang=en"));
        waitFor(By.id("actions"));
        signOut();

        signIn("provider");
        browser.get(url("/app/bonds/" + BOND));
        waitFor(By.id("actions"));
        assertThat(browser.findElements(By.id("act-call"))).as("the provider takes no step of the arranger's").isEmpty();
        step("act-enrol");
        assertThat(new Select(browser.findElement(By.id("act-enrol-cohortId"))).getFirstSelectedOption().getText()).isEqualTo("c1");
        assertEveryFieldIsLabelled();
        b.audit("bond page, the provider's enrolment");
        b.speak("he", "/app/bonds/" + BOND);
        step("act-enrol");
        b.audit("bond page, the provider's enrolment");
        b.speak("en", "/app/bonds/" + BOND);
        step("act-enrol");
        type("act-enrol-participants", "p-1\np-2\np-3");
        click(browser.findElement(By.id("act-enrol-button")));
        assertThat(notice()).isEqualTo("3 participants enrolled in cohort c1.");
        shot("07-provider-enrolled");
        signOut();
    }

    /**
     * Funding: each investor funds through the API what the call asks of it, having found
     * the call in the bond's history as the API shows it to that investor (its own allocation only).
     */
    private void fundByApi() throws IOException {
        for (String investor : List.of("investor", "investor2")) {
            JsonNode history = node.api(investor).get("/api/bonds/" + BOND + "/history?size=500").expect(200);
            JsonNode called = null;
            for (JsonNode entry : history.get("items")) {
                if (entry.get("type").asText().contains("CapitalCalled")) {
                    called = entry.get("payload");
                }
            }
            assertThat(called).as("the capital call in %s's history", investor).isNotNull();
            assertThat(called.get("allocations")).as("%s sees only its own allocation", investor).hasSize(1);
            String amount = called.at("/allocations/0/amount").asText();
            ok(node.api(investor).post("/api/bonds/" + BOND + "/capital-calls/" + called.get("callId").asText() + "/fundings",
                    "{\"amount\": \"" + amount + "\"}"), 201);
        }
        // the investor's page: funded, and nothing back yet, so its IRR says why there is none
        signIn("investor");
        browser.get(url("/app/investor"));
        WebElement card = waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        assertThat(card.findElement(By.cssSelector("[data-testid=position]")).getText()).contains("£1,000.00");
        assertThat(browser.findElement(By.cssSelector("[data-testid=irr-note]")).getText()).startsWith("Not yet");
        shot("08-investor-funded");
        signOut();
    }

    // ------------------------------------------------------------------------------ outcomes: submitted, approved, settled

    private void evaluatorSubmitsAndPayerApprovesAndSettles() throws IOException {
        signIn("evaluator");
        browser.get(url("/app/evaluator"));
        assertEveryFieldIsLabelled();
        int eventsBefore = events();
        upload("participantRef,metric,achievedOn,evidenceRef\np-1,earns-768,2019-06-01,payslip-1\np-9,earns-768,2019-06-01,x\np-2,earns-768,not-a-date,y\n");
        WebElement errors = waitFor(By.cssSelector("[data-testid=row-errors]"));
        assertThat(errors.getText()).contains("3: participant 'p-9' is not enrolled").contains("4: achievedOn 'not-a-date'");
        assertThat(errors.getText()).doesNotContain("2:");
        assertThat(events()).isEqualTo(eventsBefore);
        shot("09-evaluator-bad-rows");
        b.audit("evaluator, with row errors");
        upload("participantRef,metric,achievedOn,evidenceRef\np-1,earns-768,2019-06-01,payslip-1\np-2,earns-768,2019-06-15,payslip-2\n");
        assertThat(waitFor(By.cssSelector("[data-testid=notice]")).getText()).contains("2");
        assertThat(browser.findElements(By.cssSelector("[data-testid=submission]"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("[data-testid=submitted-link]")).getAttribute("href")).contains("#sub-m-");
        shot("10-evaluator-uploaded");
        b.audit("evaluator, submitted");
        b.speak("he", "/app/evaluator");
        assertThat(browser.findElement(By.cssSelector("[data-testid=submission] td:nth-child(2)")).getText()).isEqualTo("טענות תוצאה");
        assertEveryFieldIsLabelled();
        b.auditInBothLanguages("evaluator");
        b.speak("en", "/app/evaluator");
        signOut();

        signInByKeyboard("payer");
        browser.get(url("/app/payer"));
        assertEveryFieldIsLabelled();
        WebElement row = waitFor(By.cssSelector("article[data-measurement]"));
        // what is claimed, participant by participant, its evidence, and each payout line after caps with the total
        assertThat(row.getText()).contains("evaluator").contains("payslip-1").contains("p-1").contains("p-2")
                .contains("Outcome claims").contains("£5,500.00");
        assertThat(row.findElements(By.cssSelector("[data-testid=line]"))).hasSize(2);
        assertThat(row.findElement(By.cssSelector("[data-testid=total]")).getText()).isEqualTo("£5,500.00");
        shot("11-payer-queue");
        b.speak("he", "/app/payer");
        assertThat(browser.findElement(By.cssSelector("article[data-measurement] .status")).getText()).isEqualTo("טענות תוצאה");
        b.auditInBothLanguages("payer queue");
        b.speak("en", "/app/payer");
        // approving asks first: the amount, what approving does, and a reason that is required
        int beforeDecision = events();
        waitFor(By.cssSelector("article[data-measurement] button[value=APPROVE]")).click();
        WebElement reason = waitFor(By.id("reason"));
        assertThat(events()).as("nothing is recorded before the decision is confirmed").isEqualTo(beforeDecision);
        assertThat(browser.findElement(By.cssSelector("[data-testid=consequence]")).getText()).contains("£5,500.00");
        assertThat(reason.getAttribute("required")).isNotNull();
        shot("12-payer-confirm");
        assertEveryFieldIsLabelled();
        b.auditInBothLanguages("payer confirmation");
        reason = waitFor(By.id("reason"));
        reason.sendKeys("Payslips checked against HMRC records");
        browser.findElement(By.id("confirm")).click();
        waitFor(By.cssSelector("p.notice"));
        assertThat(browser.findElements(By.cssSelector("article[data-measurement]"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("[data-testid=due]")).getText()).isEqualTo("£5,500.00");
        assertThat(browser.findElement(By.cssSelector("[data-testid=exposure-triggered]")).getText()).isEqualTo("£5,500.00");
        shot("13-payer-approved");
        // one of the two payouts is paid, under the transfer's reference
        List<WebElement> toSettle = browser.findElements(By.cssSelector("[data-testid=to-settle]"));
        assertThat(toSettle).hasSize(2);
        toSettle.get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
        browser.findElement(By.id("reference-0")).sendKeys("BACS-2019-0042");
        click(browser.findElement(By.id("settle-0")));
        assertThat(waitFor(By.cssSelector("p.notice")).getText()).contains("BACS-2019-0042");
        assertThat(browser.findElements(By.cssSelector("[data-testid=to-settle]"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("[data-testid=settled]")).getText()).isEqualTo("£2,750.00");
        assertThat(browser.findElement(By.cssSelector("[data-testid=due]")).getText()).isEqualTo("£2,750.00");
        shot("14-payer-settled");
        b.audit("payer, after a settlement");
        // and the other, under the next transfer's: nothing is left to settle
        browser.findElement(By.cssSelector("[data-testid=to-settle] input[type=checkbox]")).click();
        browser.findElement(By.id("reference-0")).sendKeys("BACS-2019-0043");
        click(browser.findElement(By.id("settle-0")));
        assertThat(waitFor(By.cssSelector("p.notice")).getText()).contains("BACS-2019-0043");
        assertThat(browser.findElements(By.cssSelector("[data-testid=to-settle]"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("[data-testid=settled]")).getText()).isEqualTo("£5,500.00");
        assertThat(browser.findElement(By.cssSelector("[data-testid=due]")).getText()).isEqualTo("£0.00");
        shot("15-payer-all-settled");
        signOut();
    }

    // ------------------------------------------------------------------------------ money back to the investors

    /**
     * The arranger pays the provider and distributes: the waterfall previewed line by line (nothing recorded), then
     * confirmed. The distribution is dated a year after the funding, so that the investors' IRR is a plain 10%.
     */
    private void arrangerDisburseAndDistributes() throws IOException {
        signIn("arranger");
        browser.get(url("/app/bonds/" + BOND));
        waitFor(By.id("actions"));
        // the bond holds what the investors funded and the payer settled: £4,000.00 + £5,500.00
        assertThat(browser.findElement(By.cssSelector("#actions p.note")).getText()).contains("£9,500.00");
        // in Hebrew first, the disbursement and the distribution shown to confirm and left unconfirmed
        int eventsBefore = events();
        b.speak("he", "/app/bonds/" + BOND);
        previewDisbursement();
        b.audit("disbursement to confirm");
        b.speak("he", "/app/bonds/" + BOND);
        previewDistribution();
        b.audit("distribution to confirm");
        b.speak("en", "/app/bonds/" + BOND);
        assertThat(events()).as("nothing is recorded before a step is confirmed").isEqualTo(eventsBefore);
        previewDisbursement();
        WebElement disbursement = waitFor(By.cssSelector("[data-confirm=disburse]"));
        b.audit("disbursement to confirm");
        assertThat(disbursement.findElement(By.cssSelector("[data-testid=total]")).getText()).isEqualTo("£1,000.00");
        assertThat(disbursement.findElement(By.cssSelector("[data-testid=intro]")).getText()).contains("provider").contains("£8,500.00");
        click(browser.findElement(By.id("confirm")));
        assertThat(notice()).contains("£1,000.00").contains("provider");

        eventsBefore = events();
        previewDistribution();
        WebElement waterfall = waitFor(By.cssSelector("[data-confirm=distribute]"));
        assertThat(events()).as("nothing is recorded before the distribution is confirmed").isEqualTo(eventsBefore);
        List<String> lines = waterfall.findElements(By.cssSelector("[data-testid=lines] tbody tr")).stream()
                .map(WebElement::getText).toList();
        // principal first, then the return, pro rata to what each funded
        assertThat(lines).hasSize(2)
                .anyMatch(t -> t.contains("investor2") && t.contains("£3,000.00") && t.contains("£300.00") && t.contains("£3,300.00"))
                .anyMatch(t -> !t.contains("investor2") && t.contains("£1,000.00") && t.contains("£100.00") && t.contains("£1,100.00"));
        assertThat(waterfall.findElement(By.cssSelector("[data-testid=total]")).getText()).isEqualTo("£4,400.00");
        shot("16-distribution-preview");
        b.audit("distribution to confirm");
        click(browser.findElement(By.id("confirm")));
        assertThat(notice()).isEqualTo("Distribution of £4,400.00 made to the investors.");
        assertThat(browser.findElement(By.cssSelector("#actions p.note")).getText()).contains("£4,100.00");
        shot("17-arranger-distributed");
        signOut();
    }

    private void investorsSeeTheirReturns() throws IOException {
        signIn("investor");
        browser.get(url("/app/investor"));
        WebElement card = waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        List<WebElement> payouts = card.findElements(By.cssSelector("[data-testid=payout-row]"));
        assertThat(payouts).hasSize(2);
        assertThat(payouts).allMatch(p -> p.getText().contains("£2,750.00"));
        assertThat(payouts).allMatch(p -> p.getText().contains("Settled"));
        assertThat(card.findElement(By.cssSelector("[data-testid=triggered]")).getText()).isEqualTo("£5,500.00");
        List<WebElement> positions = card.findElements(By.cssSelector("[data-testid=position]"));
        assertThat(positions).hasSize(1);
        // committed, called and funded £1,000.00; received £1,100.00 of the distribution
        assertThat(positions.get(0).getText()).contains("£1,000.00").contains("£1,100.00").doesNotContain("£3,000.00");
        assertThat(browser.getPageSource()).doesNotContain("£3,000.00").doesNotContain("£3,300.00");
        // the summary across bonds: £1,100.00 back a year after £1,000.00 went in, so an IRR of 10%, and no note
        List<WebElement> summary = browser.findElements(By.cssSelector("[data-testid=summary-line]"));
        assertThat(summary).hasSize(1);
        assertThat(summary.get(0).getText()).contains("£1,100.00").contains("1.1×");
        String irr = summary.get(0).findElement(By.cssSelector("[data-testid=irr]")).getText();
        assertThat(irr).matches("\\d+(\\.\\d+)?%");
        assertThat(new java.math.BigDecimal(irr.replace("%", ""))).isBetween(new java.math.BigDecimal("9.90"), new java.math.BigDecimal("10.10"));
        assertThat(browser.findElements(By.cssSelector("[data-testid=irr-note]"))).isEmpty();
        WebElement canvas = card.findElement(By.cssSelector("canvas[data-chart]"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> canvas.getSize().getHeight() > 100);
        assertThat(canvas.getAttribute("data-chart")).contains("5500").contains("1100");
        shot("18-investor");
        b.audit("investor");
        b.speak("he", "/app/investor");
        waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("dir")).isEqualTo("rtl");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("ההשקעות שלך");
        shot("20-investor-hebrew");
        b.audit("investor");
        // the bond's page as an investor sees it
        b.open("/app/bonds/" + BOND);
        b.auditInBothLanguages("bond page, an investor's");
        b.speak("en", "/app/investor");
        signOut();

        signIn("investor2");
        browser.get(url("/app/investor"));
        WebElement other = waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        assertThat(other.findElements(By.cssSelector("[data-testid=position]"))).hasSize(1);
        assertThat(other.findElement(By.cssSelector("[data-testid=position]")).getText()).contains("£3,000.00").contains("£3,300.00");
        assertThat(browser.getPageSource()).doesNotContain("£1,000.00");
        shot("21-investor2");
        browser.get(url("/app/payer"));
        assertThat(browser.getPageSource()).doesNotContain("Approval queue");
        browser.get(url("/app/investor"));
        signOut();
    }

    // ------------------------------------------------------------------------------ a variation awaiting consent

    /**
     * A variation of another bond's price, proposed through the API, awaits the payer's consent: the payer's page
     * points at it, and the bond's page shows the change with the buttons to consent and to decline (its reason asked
     * for), audited in both languages with the decline step open. Nothing is answered here (ConsentPagesTest does).
     */
    private void aVariationAwaitsThePayersConsent() {
        String other = "web-variation";
        ok(node.api("arranger").post("/api/bonds", org.sibledger.api.support.Terms.rateCard(other)), 201);
        ok(node.api("investor").post("/api/bonds/" + other + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}"""), 201);
        ok(node.api("arranger").post("/api/bonds/" + other + "/amendments", """
                {"terms": %s, "reason": "Price reviewed with the payer", "effectiveFrom": "2019-01-01"}"""
                .formatted(org.sibledger.api.support.Terms.rateCard(other).replace("2750.00", "3125.00"))), 201);
        signIn("payer");
        b.open("/app/payer");
        click(waitFor(By.cssSelector("[data-testid=consents-awaited] a[href$='/app/bonds/" + other + "#proposal']")));
        assertThat(waitFor(By.cssSelector("[data-testid=proposal]")).getText()).contains("3125.00");
        step("decline");
        assertEveryFieldIsLabelled();
        shot("24-variation-awaiting-consent");
        b.audit("bond page, a variation awaiting consent");
        b.speak("he", "/app/bonds/" + other);
        step("decline");
        b.audit("bond page, a variation awaiting consent");
        b.speak("en", "/app/bonds/" + other);
        signOut();
    }

    // ------------------------------------------------------------------------------ the arranger's pages, error pages

    private void arrangersPagesAndTheErrorPages() throws IOException {
        signIn("arranger");
        b.open("/app/bonds/" + BOND);
        // what a party keeps to check the bond later without the ledger: checkpoints, events and key, in this session
        var keep = browser.findElements(By.cssSelector("[data-testid=verify-yourself] a"));
        assertThat(keep).hasSize(3);
        String checkpoints = keep.get(0).getAttribute("href");
        browser.get(checkpoints);
        assertThat(browser.getPageSource()).contains("\"signature\"");
        b.speak("he", "/app/bonds/" + BOND);
        assertThat(browser.findElement(By.cssSelector("main .status")).getText()).isEqualTo("פתוחה");
        shot("22-arranger-bond-hebrew");
        b.auditInBothLanguages("bond page");
        // a page of another role, and a bond that does not exist: pages of the app, in the reader's language
        browser.get(url("/app/payer"));
        assertThat(waitFor(By.cssSelector("[data-testid=error-page]")).getAttribute("data-status")).isEqualTo("403");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("הדף הזה אינו מיועד לך");
        b.auditInBothLanguages("403 page");
        browser.get(url("/app/bonds/no-such-bond?lang=en"));
        assertThat(waitFor(By.cssSelector("[data-testid=error-page]")).getAttribute("data-status")).isEqualTo("404");
        shot("23-not-found");
        b.auditInBothLanguages("404 page");
        b.open("/app/bonds/" + BOND + "?lang=en");

        // every page above worked under its Content-Security-Policy (no inline script or style is needed), and the
        // policy holds: an inline script put into the page does not run, and that is the one refusal on the console
        Object inlineRan = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                var script = document.createElement('script');
                script.textContent = 'window.inlineScriptRan = true;';
                document.head.appendChild(script);
                return window.inlineScriptRan === true;""");
        assertThat(inlineRan).as("an injected inline script ran").isEqualTo(false);
        List<String> refused = browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(org.openqa.selenium.logging.LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy")).toList();
        assertThat(refused).as("what the Content-Security-Policy refused on the pages").hasSize(1)
                .allMatch(message -> message.contains("inline script"));
    }

    /** Asks for a capital call of £4,000.00 from the bond's page: the page that shows it to confirm, nothing recorded. */
    private void previewCall() {
        step("act-call");
        type("act-call-amount", "4000");
        typeDate("act-call-dueDate", LocalDate.now(ZoneOffset.UTC).plusDays(30));
        click(browser.findElement(By.id("act-call-button")));
        waitFor(By.cssSelector("[data-confirm=call]"));
    }

    /** Asks to pay the provider £1,000.00 from the bond's page: the page that shows it to confirm. */
    private void previewDisbursement() {
        step("act-disburse");
        type("act-disburse-amount", "1000.00");
        click(browser.findElement(By.id("act-disburse-button")));
        waitFor(By.cssSelector("[data-confirm=disburse]"));
    }

    /** Asks to distribute £4,400.00 a year from now from the bond's page: the waterfall, to confirm. */
    private void previewDistribution() {
        step("act-distribute");
        type("act-distribute-amount", "4400.00");
        typeDate("act-distribute-date", LocalDate.now(ZoneOffset.UTC).plusYears(1));
        click(browser.findElement(By.id("act-distribute-button")));
        waitFor(By.cssSelector("[data-confirm=distribute]"));
    }

    private void upload(String csv) throws IOException {
        Path file = Files.createTempFile(Path.of("target"), "claims", ".csv");
        Files.writeString(file, csv);
        browser.findElement(By.cssSelector("input[type=file]")).sendKeys(file.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("input[name=evidenceRef]")).sendKeys("batch-2019-06");
        browser.findElement(By.id("upload-0")).click();
    }

    /** Opens one of the bond page's steps (a closed disclosure) by its summary, as a person would. */
    private void step(String id) {
        WebElement details = waitFor(By.id(id));
        if (details.getAttribute("open") == null) {
            details.findElement(By.tagName("summary")).click();
        }
        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> details.getAttribute("open") != null);
    }

    /** Opens every step on the bond's page, so that the audit and the phone check see all their forms. */
    private void openEveryStep() {
        for (WebElement details : browser.findElements(By.cssSelector("#actions details"))) {
            step(details.getAttribute("id"));
        }
    }

    /** The notice the bond's page gives after a step. */
    private String notice() {
        return waitFor(By.cssSelector("#actions [data-testid=notice]")).getText();
    }

    /** Sign-in with the keyboard alone: the form is reachable and usable without a pointer. */
    private void signInByKeyboard(String user) {
        browser.get(url("/login"));
        waitFor(By.id("username"));
        WebElement focused = browser.switchTo().activeElement();
        assertThat(focused.getAttribute("id")).as("the user name field has the focus").isEqualTo("username");
        focused.sendKeys(user);
        focused.sendKeys(org.openqa.selenium.Keys.TAB);
        browser.switchTo().activeElement().sendKeys("demo");
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ENTER);
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("/app/"));
    }

    // the browser's steps, as Browser takes them

    private static void signIn(String user) {
        b.signIn(user);
    }

    private static void signOut() {
        b.signOut();
    }

    private static WebElement waitFor(By by) {
        return b.waitFor(by);
    }

    private static void click(WebElement element) {
        b.click(element);
    }

    private static void type(String id, String text) {
        b.type(id, text);
    }

    private static void typeDate(String id, LocalDate date) {
        b.typeDate(id, date);
    }

    private static void assertEveryFieldIsLabelled() {
        b.assertEveryFieldIsLabelled();
    }

    private static void shot(String name) {
        b.shot(name);
    }

    private static String url(String path) {
        return b.url(path);
    }

    private static int events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Integer.class);
    }

    private static Api.Response ok(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }
}
