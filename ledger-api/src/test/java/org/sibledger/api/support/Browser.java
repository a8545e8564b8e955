package org.sibledger.api.support;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One headless Chromium (Debian's chromium and chromium-driver) driven as a person uses the pages, and the checks
 * every browser test makes of a page: axe-core's WCAG 2.1 A/AA rules ({@link #assertAccessible}), a phone's width
 * ({@link #assertFitsAPhone}: nothing wider than the screen but a table's own box, every action within the viewport),
 * labelled fields, and the same page in the other language ({@link #auditInBothLanguages}). Waits are Selenium's
 * (presence, staleness of the page left), never a fixed sleep.
 */
public final class Browser implements AutoCloseable {

    /** A phone's screen: an iPhone 12 to 15's CSS width. */
    public static final Dimension PHONE = new Dimension(390, 844);
    public static final Dimension DESKTOP = new Dimension(1280, 1600);
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final WebDriver driver;
    private final String baseUrl;
    private final Path shots;
    private final boolean scriptsOff;
    private Dimension size;

    private Browser(WebDriver driver, String baseUrl, Dimension size, Path shots, boolean scriptsOff) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.size = size;
        this.shots = shots;
        this.scriptsOff = scriptsOff;
    }

    /**
     * Starts Chromium at the given window size; with {@code javascript} false the pages' own scripts do not run (the
     * forms are plain forms): script execution is switched off in the page (DevTools' Emulation), and switched on only
     * for the moment the test itself looks into the page (axe, a layout measure), after the page's scripts were
     * already passed over. Chromium's console is kept, where it reports what the Content-Security-Policy refused.
     */
    public static Browser start(String baseUrl, Dimension size, boolean javascript, Path shots) {
        try {
            assertThat(RequiresChromium.CHROMIUM).as("Debian's chromium (installed by .ci/run)").exists();
            assertThat(RequiresChromium.CHROMEDRIVER).as("Debian's chromium-driver (installed by .ci/run)").exists();
            if (shots != null) {
                Files.createDirectories(shots);
            }
            ChromeOptions options = new ChromeOptions();
            options.setBinary(RequiresChromium.CHROMIUM.toString());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-extensions", "--window-size=" + size.getWidth() + "," + size.getHeight(),
                    "--user-data-dir=" + Files.createTempDirectory(Path.of("target"), "chromium"));
            org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
            logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(RequiresChromium.CHROMEDRIVER.toString())).usingAnyFreePort().build();
            WebDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            driver.manage().window().setSize(size);
            Browser browser = new Browser(driver, baseUrl, size, shots, !javascript);
            browser.pageScripts(javascript);
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    /** Loads a page of the app and waits for its main content. */
    public void open(String path) {
        driver.get(url(path));
        waitFor(By.cssSelector("main"));
    }

    public WebElement waitFor(By by) {
        return new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** Runs the test's own script in the page (with the page's scripts off, switched on for it alone). */
    public Object script(String script, Object... args) {
        pageScripts(true);
        try {
            return ((JavascriptExecutor) driver).executeScript(script, args);
        } finally {
            pageScripts(!scriptsOff);
        }
    }

    /** Whether the page runs scripts; set through DevTools, so it holds for the pages loaded after too. */
    private void pageScripts(boolean on) {
        if (scriptsOff) {
            ((ChromeDriver) driver).executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", !on));
        }
    }

    /** Clicks what sends a form or follows a link, and waits until the page it leads to has replaced this one. */
    public void click(WebElement element) {
        WebElement page = driver.findElement(By.tagName("html"));
        element.click();
        new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.stalenessOf(page));
        waitFor(By.cssSelector("main"));
    }

    /** Types into a field as a person would, over what it held. */
    public void type(String id, String text) {
        WebElement field = waitFor(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /**
     * Fills a date field. What a date field takes from the keyboard follows the browser's own locale (month first in
     * en-US, day first elsewhere), so the date is given the way the date picker gives it: as its ISO value.
     */
    public void typeDate(String id, LocalDate date) {
        WebElement field = waitFor(By.id(id));
        assertThat(field.getAttribute("type")).isEqualTo("date");
        script("""
                arguments[0].value = arguments[1];
                arguments[0].dispatchEvent(new Event('input', {bubbles: true}));
                arguments[0].dispatchEvent(new Event('change', {bubbles: true}));""", field, date.toString());
        assertThat(field.getAttribute("value")).isEqualTo(date.toString());
    }

    public void signIn(String user) {
        driver.get(url("/login"));
        waitFor(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys("demo");
        driver.findElement(By.id("sign-in")).click();
        new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.urlContains("/app/"));
    }

    public void signOut() {
        driver.findElement(By.cssSelector("form[action$='/logout'] button")).click();
        new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.urlContains("/login"));
    }

    /** The language the page is in (its html lang). */
    public String lang() {
        return driver.findElement(By.tagName("html")).getAttribute("lang");
    }

    /**
     * Deque's axe-core rules for WCAG 2.0 and 2.1, levels A and AA (contrast, names, labels, language, landmarks) over
     * the page as it stands: no violation is allowed. The rules run in the page itself (axe's legacy mode): the
     * default opens a new tab for each analysis to combine the results of frames, which took seconds on every page
     * and, with the page's JavaScript off, waited out the 30 s script timeout each time. The app's pages have no
     * frames, which is checked, so nothing goes unaudited.
     */
    public void assertAccessible(String page) {
        assertThat(driver.findElements(By.cssSelector("iframe, frame"))).as("frames on the " + page + " page").isEmpty();
        Results results;
        pageScripts(true);
        try {
            results = new AxeBuilder().setLegacyMode(true).disableIframeTesting()
                    .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze(driver);
        } finally {
            pageScripts(!scriptsOff);
        }
        List<String> violations = results.getViolations().stream()
                .map(rule -> rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " at "
                        + rule.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
                .toList();
        assertThat(violations).as("WCAG 2.1 AA violations on the " + page + " page (" + lang() + ")").isEmpty();
        assertThat(results.getPasses()).as("axe rules that ran and passed on the " + page + " page").isNotEmpty();
    }

    /**
     * At a phone's width (390 px) nothing but a table's own scrolling box is wider than the screen, and every action
     * (button, submit, the summary that opens a step) that is shown lies within the viewport, so it is reached without
     * scrolling sideways. The page is not loaded again (a page that answered a form would send it again): the narrower
     * window lays it out anew, and the window is given back its size after.
     */
    public void assertFitsAPhone(String page) {
        boolean resized = size.getWidth() > PHONE.getWidth();
        if (resized) {
            driver.manage().window().setSize(PHONE);
        }
        try {
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> ((Number) script(
                    "return document.documentElement.clientWidth;")).intValue() <= PHONE.getWidth());
            Object overflow = script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).intValue()).as("horizontal overflow on a phone, " + page + " (" + lang() + ")")
                    .isLessThanOrEqualTo(0);
            Object outside = script("""
                    var width = document.documentElement.clientWidth;
                    var actions = Array.from(document.querySelectorAll(
                        'button, input[type=submit], input[type=button], input[type=reset], [role=button], summary'))
                      .filter(b => b.getClientRects().length > 0);
                    return actions.length === 0 ? ['no action at all'] : actions
                      .filter(b => { var r = b.getBoundingClientRect(); return r.left < 0 || r.right > width; })
                      .map(b => b.outerHTML);""");
            assertThat((List<?>) outside).as("actions outside a 390 px viewport, " + page + " (" + lang() + ")").isEmpty();
            shot("phone-" + page.replaceAll("[^a-zA-Z]+", "-") + "-" + lang());
        } finally {
            if (resized) {
                driver.manage().window().setSize(size);
            }
        }
    }

    /** The audit of the page as it stands: axe's WCAG 2.1 AA rules, then a phone's width. */
    public void audit(String page) {
        assertAccessible(page);
        assertFitsAPhone(page);
    }

    /**
     * The page as it stands audited ({@link #audit}), then the same address in the other language (English and
     * Hebrew) loaded and audited, its direction checked, and the page loaded again in the language it was in. For a
     * page reached with a GET; a page that answers a form is audited in each language by sending the form in each.
     */
    public void auditInBothLanguages(String page) {
        String was = lang();
        audit(page);
        String other = "he".equals(was) ? "en" : "he";
        driver.get(withLang(driver.getCurrentUrl(), other));
        waitFor(By.cssSelector("main"));
        assertThat(lang()).isEqualTo(other);
        assertThat(driver.findElement(By.tagName("html")).getAttribute("dir")).isEqualTo(other.equals("he") ? "rtl" : "ltr");
        audit(page);
        driver.get(withLang(driver.getCurrentUrl(), was));
        waitFor(By.cssSelector("main"));
    }

    /** Chooses the language for the pages that follow (the app keeps it in a cookie), from the page at this path. */
    public void speak(String lang, String path) {
        driver.get(withLang(url(path), lang));
        waitFor(By.cssSelector("main"));
        assertThat(lang()).isEqualTo(lang);
    }

    static String withLang(String address, String lang) {
        return org.springframework.web.util.UriComponentsBuilder.fromUriString(address).replaceQueryParam("lang", lang)
                .build().toUriString();
    }

    /** Every visible form field has a label a screen reader can read. */
    public void assertEveryFieldIsLabelled() {
        Object unlabelled = script("""
                return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
                  .filter(f => !(f.id && document.querySelector('label[for="' + f.id + '"]')) && !f.getAttribute('aria-label'))
                  .map(f => f.outerHTML);""");
        assertThat((List<?>) unlabelled).as("form fields without a label").isEmpty();
    }

    /** A screenshot of the window as it is, in the test's screenshot directory (none when it has none). */
    public void shot(String name) {
        if (shots == null) {
            return;
        }
        try {
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The window's size from now on (a phone's or a desktop's). */
    public void resize(Dimension newSize) {
        size = newSize;
        driver.manage().window().setSize(newSize);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
