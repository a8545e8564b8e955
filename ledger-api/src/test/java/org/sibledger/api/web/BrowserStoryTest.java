package org.sibledger.api.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main story in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs): an
 * evaluator uploads claims (a file with a bad row first: every bad row reported, nothing recorded), the payer approves
 * them from the queue, and the investor's page shows the payout, the chart and only its own position; the Hebrew
 * page is right-to-left. Each step leaves a screenshot in target/screenshots/.
 */
@org.sibledger.api.support.RequiresChromium
class BrowserStoryTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension();

    private static final String BOND = "web-bond";
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static WebDriver browser;

    @BeforeAll
    static void openBrowser() throws IOException {
        Files.createDirectories(SHOTS);
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (installed by .ci/run)").exists();
        assertThat(Path.of("/usr/bin/chromedriver")).as("Debian's chromium-driver (installed by .ci/run)").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1600", "--user-data-dir=" + Files.createTempDirectory(Path.of("target"), "chromium"));
        // the console, where Chromium reports what the Content-Security-Policy refused
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anEvaluatorsUploadIsApprovedAndTheInvestorSeesThePayout() throws IOException {
        prepareBond();

        browser.get(url("/login"));
        waitFor(By.id("username"));
        assertAccessible("sign-in");
        signIn("evaluator");
        browser.get(url("/app/evaluator"));
        assertEveryFieldIsLabelled();
        int eventsBefore = events();
        upload("participantRef,metric,achievedOn,evidenceRef\np-1,earns-768,2019-06-01,payslip-1\np-9,earns-768,2019-06-01,x\np-2,earns-768,not-a-date,y\n");
        WebElement errors = waitFor(By.cssSelector("[data-testid=row-errors]"));
        assertThat(errors.getText()).contains("3: participant 'p-9' is not enrolled").contains("4: achievedOn 'not-a-date'");
        assertThat(errors.getText()).doesNotContain("2:");
        assertThat(events()).isEqualTo(eventsBefore);
        shot("1-evaluator-bad-rows");
        assertAccessible("evaluator, with row errors");
        upload("participantRef,metric,achievedOn,evidenceRef\np-1,earns-768,2019-06-01,payslip-1\np-2,earns-768,2019-06-15,payslip-2\n");
        assertThat(waitFor(By.cssSelector("[data-testid=notice]")).getText()).contains("2");
        assertThat(browser.findElements(By.cssSelector("[data-testid=submission]"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("[data-testid=submitted-link]")).getAttribute("href")).contains("#sub-m-");
        shot("2-evaluator-uploaded");
        assertAccessible("evaluator, submitted");
        assertActionsWithinPhoneWidth("evaluator");
        browser.get(url("/app/evaluator?lang=he"));
        waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        assertThat(browser.findElement(By.cssSelector("[data-testid=submission] td:nth-child(2)")).getText()).isEqualTo("טענות תוצאה");
        assertEveryFieldIsLabelled();
        assertAccessible("evaluator, Hebrew");
        assertActionsWithinPhoneWidth("evaluator, Hebrew");
        browser.get(url("/app/evaluator?lang=en"));
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
        shot("3-payer-queue");
        assertAccessible("payer queue");
        assertActionsWithinPhoneWidth("payer queue");
        browser.get(url("/app/payer?lang=he"));
        waitFor(By.cssSelector("article[data-measurement]"));
        assertThat(browser.findElement(By.cssSelector("article[data-measurement] .status")).getText()).isEqualTo("טענות תוצאה");
        assertAccessible("payer queue, Hebrew");
        assertActionsWithinPhoneWidth("payer queue, Hebrew");
        browser.get(url("/app/payer?lang=en"));
        // approving asks first: the amount, what approving does, and a reason that is required
        int beforeDecision = events();
        waitFor(By.cssSelector("article[data-measurement] button[value=APPROVE]")).click();
        WebElement reason = waitFor(By.id("reason"));
        assertThat(events()).as("nothing is recorded before the decision is confirmed").isEqualTo(beforeDecision);
        assertThat(browser.findElement(By.cssSelector("[data-testid=consequence]")).getText()).contains("£5,500.00");
        assertThat(reason.getAttribute("required")).isNotNull();
        shot("3b-payer-confirm");
        assertEveryFieldIsLabelled();
        assertAccessible("payer confirmation");
        assertActionsWithinPhoneWidth("payer confirmation");
        reason = waitFor(By.id("reason"));
        reason.sendKeys("Payslips checked against HMRC records");
        browser.findElement(By.id("confirm")).click();
        waitFor(By.cssSelector("p.notice"));
        assertThat(browser.findElements(By.cssSelector("article[data-measurement]"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("[data-testid=due]")).getText()).isEqualTo("£5,500.00");
        assertThat(browser.findElement(By.cssSelector("[data-testid=exposure-triggered]")).getText()).isEqualTo("£5,500.00");
        shot("4-payer-approved");
        // one of the two payouts is paid, under the transfer's reference
        List<WebElement> toSettle = browser.findElements(By.cssSelector("[data-testid=to-settle]"));
        assertThat(toSettle).hasSize(2);
        toSettle.get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
        browser.findElement(By.id("reference-0")).sendKeys("BACS-2019-0042");
        browser.findElement(By.id("settle-0")).click();
        assertThat(waitFor(By.cssSelector("p.notice")).getText()).contains("BACS-2019-0042");
        assertThat(browser.findElements(By.cssSelector("[data-testid=to-settle]"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("[data-testid=settled]")).getText()).isEqualTo("£2,750.00");
        assertThat(browser.findElement(By.cssSelector("[data-testid=due]")).getText()).isEqualTo("£2,750.00");
        shot("4b-payer-settled");
        assertAccessible("payer, after a settlement");
        shot("4-payer-approved");
        signOut();

        signIn("investor");
        browser.get(url("/app/investor"));
        WebElement card = waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        List<WebElement> payouts = card.findElements(By.cssSelector("[data-testid=payout-row]"));
        assertThat(payouts).hasSize(2);
        assertThat(payouts).allMatch(p -> p.getText().contains("£2,750.00"));
        assertThat(payouts.stream().map(WebElement::getText).toList())
                .anyMatch(t -> t.contains("Triggered") || t.contains("TRIGGERED"))
                .anyMatch(t -> t.contains("Settled") || t.contains("SETTLED"));
        assertThat(card.findElement(By.cssSelector("[data-testid=triggered]")).getText()).isEqualTo("£5,500.00");
        List<WebElement> positions = card.findElements(By.cssSelector("[data-testid=position]"));
        assertThat(positions).hasSize(1);
        assertThat(positions.get(0).getText()).contains("£1,000.00").doesNotContain("£3,000.00");
        assertThat(browser.getPageSource()).doesNotContain("£3,000.00");
        // the summary across bonds: nothing has come back to the investor yet, so its IRR says why there is none
        assertThat(browser.findElements(By.cssSelector("[data-testid=summary-line]"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("[data-testid=irr-note]")).getText()).startsWith("Not yet");
        WebElement canvas = card.findElement(By.cssSelector("canvas[data-chart]"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> canvas.getSize().getHeight() > 100);
        assertThat(canvas.getAttribute("data-chart")).contains("5500");
        shot("5-investor");
        assertAccessible("investor");
        // a phone: nothing wider than the screen but the tables, which scroll inside their own box
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        browser.navigate().refresh();
        waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        Object overflow = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).as("horizontal overflow on a phone").isLessThanOrEqualTo(0);
        shot("5b-investor-phone");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1600));

        browser.get(url("/app/investor?lang=he"));
        waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("dir")).isEqualTo("rtl");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("he");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("ההשקעות שלך");
        shot("6-investor-hebrew");
        assertAccessible("investor, Hebrew");
        browser.get(url("/app/investor?lang=en"));
        signOut();

        signIn("investor2");
        browser.get(url("/app/investor"));
        WebElement other = waitFor(By.cssSelector("section[data-bond=" + BOND + "]"));
        assertThat(other.findElements(By.cssSelector("[data-testid=position]"))).hasSize(1);
        assertThat(other.findElement(By.cssSelector("[data-testid=position]")).getText()).contains("£3,000.00");
        assertThat(browser.getPageSource()).doesNotContain("£1,000.00");
        shot("7-investor2");
        browser.get(url("/app/payer"));
        assertThat(browser.getPageSource()).doesNotContain("Approval queue");
        browser.get(url("/app/investor"));
        signOut();

        signIn("arranger");
        browser.get(url("/app/arranger"));
        waitFor(By.cssSelector("main"));
        assertEveryFieldIsLabelled();
        assertAccessible("arranger");
        browser.get(url("/app/bonds/" + BOND));
        waitFor(By.cssSelector("main"));
        assertAccessible("bond page");
        // what a party keeps to check the bond later without the ledger: checkpoints, events and key, in this session
        var keep = browser.findElements(By.cssSelector("[data-testid=verify-yourself] a"));
        assertThat(keep).hasSize(3);
        String checkpoints = keep.get(0).getAttribute("href");
        browser.get(checkpoints);
        assertThat(browser.getPageSource()).contains("\"signature\"");
        browser.get(url("/app/bonds/" + BOND));
        waitFor(By.cssSelector("main"));
        browser.get(url("/app/bonds/" + BOND + "?lang=he"));
        waitFor(By.cssSelector("main"));
        assertAccessible("bond page, Hebrew");
        assertThat(browser.findElement(By.cssSelector("main .status")).getText()).isEqualTo("פתוחה");
        assertActionsWithinPhoneWidth("bond page, Hebrew");
        shot("8-arranger-bond-hebrew");
        // a page of another role, and a bond that does not exist: pages of the app, in the reader's language
        browser.get(url("/app/payer"));
        assertThat(waitFor(By.cssSelector("[data-testid=error-page]")).getAttribute("data-status")).isEqualTo("403");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("הדף הזה אינו מיועד לך");
        assertAccessible("403 page, Hebrew");
        browser.get(url("/app/bonds/no-such-bond?lang=en"));
        assertThat(waitFor(By.cssSelector("[data-testid=error-page]")).getAttribute("data-status")).isEqualTo("404");
        assertAccessible("404 page");
        assertActionsWithinPhoneWidth("404 page");
        shot("9-not-found");
        browser.get(url("/app/arranger"));
        waitFor(By.cssSelector("main"));
        assertActionsWithinPhoneWidth("arranger");
        browser.get(url("/app/bonds/" + BOND + "?lang=en"));

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

    /**
     * Deque's axe-core rules for WCAG 2.0 and 2.1, levels A and AA (contrast, names, labels, language, landmarks) over
     * the page as it stands: no violation is allowed.
     */
    private void assertAccessible(String page) {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(browser);
        List<String> violations = results.getViolations().stream()
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                        + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        assertThat(violations).as("WCAG 2.1 AA violations on the " + page + " page").isEmpty();
        assertThat(results.getPasses()).as("axe rules that ran and passed on the " + page + " page").isNotEmpty();
    }

    /**
     * At a phone's width (390 px) nothing but a table's own scrolling box is wider than the screen and every button
     * on the page lies within the viewport, so it can be reached without scrolling sideways; the window is restored.
     */
    private void assertActionsWithinPhoneWidth(String page) {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        try {
            browser.navigate().refresh();
            waitFor(By.cssSelector("main"));
            Object overflow = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).intValue()).as("horizontal overflow on a phone, " + page).isLessThanOrEqualTo(0);
            Object outside = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                    var width = document.documentElement.clientWidth;
                    var buttons = Array.from(document.querySelectorAll('button, input[type=submit]'))
                      .filter(b => b.getClientRects().length > 0);
                    return buttons.length === 0 ? ['no button at all'] : buttons
                      .filter(b => { var r = b.getBoundingClientRect(); return r.left < 0 || r.right > width; })
                      .map(b => b.outerHTML);""");
            assertThat((List<?>) outside).as("buttons outside a 390 px viewport, " + page).isEmpty();
            shot("phone-" + page.replaceAll("[^a-zA-Z]+", "-"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1600));
        }
    }

    private void prepareBond() {
        String terms = org.sibledger.api.support.Terms.rateCard(BOND)
                .replace("\"investors\": [\"investor\"]", "\"investors\": [\"investor\", \"investor2\"]");
        ok(node.api("arranger").post("/api/bonds", terms), 201);
        ok(node.api("investor").post("/api/bonds/" + BOND + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}"""), 201);
        ok(node.api("investor2").post("/api/bonds/" + BOND + "/commitments", """
                {"tranche": "senior", "amount": "3000.00"}"""), 201);
        ok(node.api("arranger").post("/api/bonds/" + BOND + "/opening", ""), 200);
        ok(node.api("provider").post("/api/bonds/" + BOND + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2019-01-01"}"""), 201);
        ok(node.api("provider").post("/api/bonds/" + BOND + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}, {"participantRef": "p-3"}]"""), 201);
    }

    private void upload(String csv) throws IOException {
        Path file = Files.createTempFile(Path.of("target"), "claims", ".csv");
        Files.writeString(file, csv);
        browser.findElement(By.cssSelector("input[type=file]")).sendKeys(file.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("input[name=evidenceRef]")).sendKeys("batch-2019-06");
        browser.findElement(By.id("upload-0")).click();
    }

    private void signIn(String user) {
        browser.get(url("/login"));
        waitFor(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("demo");
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("/app/"));
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

    /** Every visible form field has a label a screen reader can read. */
    private void assertEveryFieldIsLabelled() {
        Object unlabelled = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                  .filter(f => !(f.id && document.querySelector('label[for="' + f.id + '"]')) && !f.getAttribute('aria-label'))
                  .map(f => f.outerHTML);""");
        assertThat((List<?>) unlabelled).as("form fields without a label").isEmpty();
    }

    private void signOut() {
        browser.findElement(By.cssSelector("form[action$='/logout'] button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.urlContains("/login"));
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    private void shot(String name) throws IOException {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String url(String path) {
        return node.node().baseUrl() + path;
    }

    private static int events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Integer.class);
    }

    private static Api.Response ok(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }
}
