package org.sibledger.api.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sibledger.api.support.Browser;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.RequiresChromium;
import org.sibledger.api.support.Terms;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The investor's commitment and funding forms in a real headless Chromium at a phone's width (390 px), with its
 * JavaScript off, as a person uses them: it commits from the bond's card (confirmed on a page that shows what it
 * comes to), then funds its share of the arranger's
 * capital call (the form opened, the amount prefilled, the confirmation page, the record), in English and Hebrew. At
 * each step nothing but a table's own box is wider than the screen, every visible button lies within it, and axe finds
 * no WCAG 2.1 AA violation.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): its node has a database and a Kafka broker
 * of its own ({@link org.sibledger.api.support.LedgerNodeExtension}), and it asserts nothing of the shared servers.
 */
@RequiresChromium
@Execution(ExecutionMode.CONCURRENT)
class InvestorFundingBrowserTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final String BOND = "inv-phone";
    private static Browser b;
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() {
        // no JavaScript: the forms are plain forms and the steps plain details elements
        b = Browser.start(node.node().baseUrl(), Browser.PHONE, false, null);
        browser = b.driver();
    }

    @AfterAll
    static void closeBrowser() {
        if (b != null) {
            b.close();
        }
    }

    @Test
    void anInvestorCommitsAndFundsOnAPhoneInBothLanguages() {
        node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)).expect(201);
        b.signIn("investor");

        // commit from the bond's card; the page's own scripts (the charts) do not run
        browser.get(url("/app/investor"));
        waitFor(By.cssSelector("main"));
        assertThat(b.script("return typeof window.Chart;")).isEqualTo("undefined");
        assertThat(browser.findElements(By.cssSelector("canvas[data-chart]"))).as("charts, undrawn").isNotEmpty();
        waitFor(By.cssSelector("#inv-" + BOND + "-commit summary")).click();
        type("inv-" + BOND + "-commit-amount", "8000.00");
        b.audit("commitment form");
        b.click(browser.findElement(By.id("inv-" + BOND + "-commit-button")));
        // shown first with what it comes to, recorded when confirmed
        assertThat(waitFor(By.cssSelector("[data-testid=intro]")).getText()).isEqualTo("You commit £8,000.00 in tranche senior.");
        assertThat(browser.findElement(By.cssSelector("[data-testid=bond-after]")).getText()).isEqualTo("£8,000.00");
        b.audit("commitment confirmation");
        b.click(browser.findElement(By.id("confirm")));
        assertThat(waitFor(By.cssSelector("[data-testid=notice]")).getText()).isEqualTo("You committed £8,000.00 in tranche senior.");

        // the arranger opens the bond and calls capital through the API
        node.api("arranger").post("/api/bonds/" + BOND + "/opening", "").expect(200);
        String callId = node.api("arranger").post("/api/bonds/" + BOND + "/capital-calls", """
                {"amount": "3000.00", "dueDate": "2019-02-01"}""").expect(201).get("callId").asText();
        String fund = "inv-" + BOND + "-fund-" + callId;

        for (String lang : List.of("he", "en")) {
            browser.get(url("/app/investor?lang=" + lang));
            WebElement call = waitFor(By.cssSelector("[data-call='" + callId + "'] [data-testid=outstanding]"));
            assertThat(call.getText()).contains("3,000.00");
            browser.findElement(By.cssSelector("#" + fund + " summary")).click();
            assertThat(browser.findElement(By.id(fund + "-amount")).getAttribute("value")).isEqualTo("3000.00");
            b.audit("funding form");
            // the funding shown to confirm, in this language; recorded only in the last
            type(fund + "-amount", "1200.00");
            b.click(browser.findElement(By.id(fund + "-button")));
            assertThat(waitFor(By.cssSelector("[data-testid=total]")).getText()).contains("1,200.00");
            assertThat(browser.findElement(By.cssSelector("[data-testid=after]")).getText()).contains("1,800.00");
            b.audit("funding confirmation");
        }
        assertThat(waitFor(By.cssSelector("[data-testid=total]")).getText()).isEqualTo("£1,200.00");
        b.click(browser.findElement(By.id("confirm")));
        assertThat(waitFor(By.cssSelector("[data-testid=notice]")).getText())
                .isEqualTo("Your funding of £1,200.00 towards capital call " + callId + " is recorded.");
        assertThat(browser.findElement(By.cssSelector("[data-call='" + callId + "'] [data-testid=outstanding]")).getText())
                .isEqualTo("£1,800.00");
        b.audit("investor page after funding");
    }

    private static WebElement waitFor(By by) {
        return b.waitFor(by);
    }

    private static void type(String id, String text) {
        b.type(id, text);
    }

    private static String url(String path) {
        return b.url(path);
    }
}
