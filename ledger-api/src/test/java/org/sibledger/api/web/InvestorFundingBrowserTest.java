package org.sibledger.api.web;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.RequiresChromium;
import org.sibledger.api.support.Terms;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
@RequiresChromium
class InvestorFundingBrowserTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final String BOND = "inv-phone";
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(RequiresChromium.CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=390,844", "--user-data-dir=" + Files.createTempDirectory(Path.of("target"), "chromium"));
        // no JavaScript: the forms are plain forms and the steps plain details elements
        options.setExperimentalOption("prefs", java.util.Map.of("profile.managed_default_content_settings.javascript", 2));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(RequiresChromium.CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.manage().window().setSize(new Dimension(390, 844));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anInvestorCommitsAndFundsOnAPhoneInBothLanguages() {
        node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)).expect(201);
        browser.get(url("/login"));
        waitFor(By.id("username")).sendKeys("investor");
        browser.findElement(By.id("password")).sendKeys("demo");
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("/app/"));

        // commit from the bond's card; the page's own scripts (the charts) do not run
        browser.get(url("/app/investor"));
        waitFor(By.cssSelector("main"));
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.Chart;")).isEqualTo("undefined");
        click(waitFor(By.cssSelector("#inv-" + BOND + "-commit summary")), false);
        type("inv-" + BOND + "-commit-amount", "8000.00");
        fitsAPhone("commitment form");
        accessible("commitment form");
        click(browser.findElement(By.id("inv-" + BOND + "-commit-button")), true);
        // shown first with what it comes to, recorded when confirmed
        assertThat(waitFor(By.cssSelector("[data-testid=intro]")).getText()).isEqualTo("You commit £8,000.00 in tranche senior.");
        assertThat(browser.findElement(By.cssSelector("[data-testid=bond-after]")).getText()).isEqualTo("£8,000.00");
        fitsAPhone("commitment confirmation");
        accessible("commitment confirmation");
        click(browser.findElement(By.id("confirm")), true);
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
            click(browser.findElement(By.cssSelector("#" + fund + " summary")), false);
            assertThat(browser.findElement(By.id(fund + "-amount")).getAttribute("value")).isEqualTo("3000.00");
            fitsAPhone("funding form, " + lang);
            accessible("funding form, " + lang);
        }
        type(fund + "-amount", "1200.00");
        click(browser.findElement(By.id(fund + "-button")), true);
        assertThat(waitFor(By.cssSelector("[data-testid=total]")).getText()).isEqualTo("£1,200.00");
        assertThat(browser.findElement(By.cssSelector("[data-testid=after]")).getText()).contains("£1,800.00");
        fitsAPhone("funding confirmation");
        accessible("funding confirmation");
        click(browser.findElement(By.id("confirm")), true);
        assertThat(waitFor(By.cssSelector("[data-testid=notice]")).getText())
                .isEqualTo("Your funding of £1,200.00 towards capital call " + callId + " is recorded.");
        assertThat(browser.findElement(By.cssSelector("[data-call='" + callId + "'] [data-testid=outstanding]")).getText())
                .isEqualTo("£1,800.00");
        fitsAPhone("investor page after funding");
    }

    /** Nothing but a table's own scrolling box is wider than the screen, and every visible button lies within it. */
    private void fitsAPhone(String page) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        int width = ((Number) js.executeScript("return document.documentElement.clientWidth;")).intValue();
        assertThat(width).isLessThanOrEqualTo(390);
        int overflow = ((Number) js.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).intValue();
        assertThat(overflow).as("horizontal overflow on a phone, " + page).isLessThanOrEqualTo(0);
        List<WebElement> outside = browser.findElements(By.cssSelector("button")).stream()
                .filter(WebElement::isDisplayed)
                .filter(b -> b.getRect().getX() < 0 || b.getRect().getX() + b.getRect().getWidth() > width).toList();
        assertThat(outside).as("buttons outside a 390 px viewport, " + page).isEmpty();
    }

    /** axe-core's WCAG 2.0 and 2.1 A and AA rules over the page as it stands: no violation. */
    private void accessible(String page) {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(browser);
        List<String> violations = results.getViolations().stream()
                .map(rule -> rule.getId() + ": " + rule.getHelp() + " at "
                        + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList()).toList();
        assertThat(violations).as("WCAG 2.1 AA violations on the " + page).isEmpty();
    }

    /** Clicks; when it sends a form, waits until the page it leads to has replaced this one. */
    private void click(WebElement element, boolean leaves) {
        WebElement page = browser.findElement(By.tagName("html"));
        element.click();
        if (leaves) {
            new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.stalenessOf(page));
            waitFor(By.cssSelector("main"));
        }
    }

    private void type(String id, String text) {
        WebElement field = waitFor(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private static String url(String path) {
        return node.node().baseUrl() + path;
    }
}
