package org.sibledger.api.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.TestInfrastructure;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pages' session cookie opens the pages and nothing else: a request to the API with only that cookie (as a
 * hostile site's form would send it) is refused with a 401 problem and records nothing; the cookie is SameSite=Lax;
 * the pages send a Content-Security-Policy they can live with (no inline script or style) and a Referrer-Policy.
 */
class PagesCookieAndHeadersTest {

    private static final String BOND = "cookie-bond";
    private static final String B = "/api/bonds/" + BOND;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    @Test
    void aCrossSiteSettlementWithOnlyThePagesCookieIsRefusedAndRecordsNothing() throws Exception {
        String payout = bondWithTriggeredPayout();
        String session = signIn("payer");
        // the cookie is a live session: the payer's page opens with it
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/app/payer")).header("Cookie", session).GET());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains(">payer<");

        long before = events();
        // what a form on http://evil.example makes the payer's browser send
        HttpResponse<String> settle = send(HttpRequest.newBuilder(uri(B + "/payouts/" + payout + "/settlement"))
                .header("Cookie", session)
                .header("Origin", "http://evil.example")
                .header("Referer", "http://evil.example/")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")));
        assertUnauthorizedProblem(settle);
        // the same with JSON, and a read: the cookie authenticates no API call at all
        assertUnauthorizedProblem(send(HttpRequest.newBuilder(uri(B + "/payouts/" + payout + "/settlement"))
                .header("Cookie", session).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))));
        assertUnauthorizedProblem(send(HttpRequest.newBuilder(uri(B + "/payouts")).header("Cookie", session).GET()));
        assertUnauthorizedProblem(send(HttpRequest.newBuilder(uri("/actuator/prometheus")).header("Cookie", session).GET()));
        assertThat(events()).isEqualTo(before);
        assertThat(node.api("payer").get(B + "/payouts").json().at("/items/0/status").asText()).isEqualTo("TRIGGERED");

        // the payout could be settled: by the payer's own credentials, sent with the request
        assertThat(node.api("payer").post(B + "/payouts/" + payout + "/settlement", "").status()).isEqualTo(200);
        assertThat(events()).isGreaterThan(before);
    }

    @Test
    void theApiNeitherCreatesNorUsesASession() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/api/bonds"))
                .header("Authorization", basic("arranger")).GET());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().allValues("Set-Cookie")).as("Set-Cookie of an API answer").isEmpty();
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/api/bonds")).GET());
        assertUnauthorizedProblem(anonymous);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).anyMatch(h -> h.startsWith("Basic"));
        assertThat(anonymous.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void theSessionCookieIsSameSiteLaxAndHttpOnly() throws Exception {
        HttpResponse<String> login = send(HttpRequest.newBuilder(uri("/login")).GET());
        List<String> cookies = login.headers().allValues("Set-Cookie");
        assertThat(cookies).anyMatch(c -> c.startsWith("JSESSIONID="));
        for (String cookie : cookies.stream().filter(c -> c.startsWith("JSESSIONID=")).toList()) {
            assertThat(cookie).containsIgnoringCase("SameSite=Lax").containsIgnoringCase("HttpOnly");
        }
        // and the session issued at sign-in (a new one: session fixation) as well
        HttpResponse<String> signedIn = postLogin("payer", login);
        assertThat(signedIn.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("JSESSIONID="))
                .isNotEmpty().allMatch(c -> c.contains("SameSite=Lax"));
    }

    @Test
    void pagesSendAContentSecurityPolicyAndAReferrerPolicy() throws Exception {
        String session = signIn("investor");
        for (String path : List.of("/login", "/app/investor", "/app/bonds", "/")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
            if (path.startsWith("/app")) {
                request.header("Cookie", session);
            }
            HttpResponse<String> page = send(request);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                    "object-src 'none'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'");
            assertThat(csp).as(path).doesNotContain("unsafe-inline", "unsafe-eval", "*");
            assertThat(page.headers().firstValue("Referrer-Policy")).as(path).contains("strict-origin-when-cross-origin");
        }
    }

    /**
     * What the policy forbids, the pages do not need: no inline script or style element, no style or event-handler
     * attribute, no javascript: URL, and no script or style from another origin.
     */
    @Test
    void thePagesHaveNoInlineScriptOrStyle() throws IOException {
        Pattern forbidden = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>|<style|\\sstyle=|\\sth:style=|\\son[a-z]+="
                + "|\\sth:on[a-z]+=|javascript:|<script[^>]*src=\"(https?:)?//|<link[^>]*href=\"(https?:)?//",
                Pattern.CASE_INSENSITIVE);
        Path resources = Path.of("src/main/resources");
        List<Path> pages;
        try (Stream<Path> files = Stream.concat(Files.walk(resources.resolve("templates")), Files.walk(resources.resolve("static")))) {
            pages = files.filter(p -> p.toString().endsWith(".html")).toList();
        }
        assertThat(pages).hasSizeGreaterThanOrEqualTo(9);
        for (Path page : pages) {
            Matcher found = forbidden.matcher(Files.readString(page));
            assertThat(found.find() ? found.group() : null).as(page + " needs what the policy forbids").isNull();
        }
    }

    /**
     * On the pages too, a payer the bond does not name learns nothing from a decision form posted for it: the
     * problem it is shown is the one for a bond that does not exist, and nothing is recorded.
     */
    @Test
    void aPagesDecisionByANonPartyReadsAsOnAnUnknownBond() throws Exception {
        String payout = "pages-hidden";
        Bonds.openWithCohort(node::api, payout, 5);
        Bonds.enrol(node::api, payout, List.of("p-1"));
        String measurement = node.api("evaluator").post("/api/bonds/" + payout + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch", "claims": [{"participantRef": "p-1",
                 "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "e"}]}""").json()
                .get("measurementId").asText();
        String session = signIn("payer2");
        long before = events();
        String existing = pageProblem(session, payout, measurement);
        String missing = pageProblem(session, "no-such-bond", measurement);
        assertThat(existing).isNotBlank();
        assertThat(existing.replace(payout, "BOND")).isEqualTo(missing.replace("no-such-bond", "BOND"));
        assertThat(events()).isEqualTo(before);
        assertThat(node.api("payer").get("/api/bonds/" + payout + "/measurements/" + measurement).json()
                .get("status").asText()).isEqualTo("SUBMITTED");
    }

    /** Posts the payer page's decision form (with its CSRF token) and returns the problem the page then shows. */
    private static String pageProblem(String session, String bond, String measurement) throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/app/payer")).header("Cookie", session).GET());
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).as("CSRF token on the payer page").isTrue();
        HttpResponse<String> posted = send(HttpRequest.newBuilder(
                        uri("/app/payer/bonds/" + bond + "/measurements/" + measurement + "/decision"))
                .header("Cookie", session).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("decision=APPROVE&reason=x&_csrf=" + csrf.group(1))));
        assertThat(posted.statusCode()).isEqualTo(302);
        HttpResponse<String> shown = send(HttpRequest.newBuilder(uri("/app/payer")).header("Cookie", session).GET());
        Matcher problem = Pattern.compile("<p class=\"problem\"[^>]*>([^<]*)</p>").matcher(shown.body());
        assertThat(problem.find()).as("the problem shown on " + shown.body()).isTrue();
        return problem.group(1);
    }

    /**
     * With demo users, whose password is public, the server listens on the loopback interface only; an address
     * given explicitly (server.address) is taken as given.
     */
    @Test
    void withDemoUsersTheServerListensOnTheLoopbackOnly() throws Exception {
        assertThat(listensOn(node.node())).isEqualTo(InetAddress.getLoopbackAddress());
        int port = node.node().webServer().getPort();
        for (InetAddress other : otherAddresses()) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(other, port), 2000))
                        .as("connecting on " + other).isInstanceOf(IOException.class);
            }
        }
        try (LedgerNode everywhere = LedgerNode.start(TestInfrastructure.get().newDatabase(), "--server.address=0.0.0.0")) {
            assertThat(listensOn(everywhere).isAnyLocalAddress()).isTrue();
            for (InetAddress other : otherAddresses()) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(other, everywhere.webServer().getPort()), 2000);
                    assertThat(socket.isConnected()).as("connected on " + other).isTrue();
                }
            }
        }
    }

    private static InetAddress listensOn(LedgerNode ledger) {
        Object address = ((TomcatWebServer) ledger.webServer()).getTomcat().getConnector().getProperty("address");
        assertThat(address).as("the connector's address").isInstanceOf(InetAddress.class);
        return (InetAddress) address;
    }

    /** This machine's IPv4 addresses other than the loopback (there may be none). */
    private static List<InetAddress> otherAddresses() throws IOException {
        return NetworkInterface.networkInterfaces().filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).toList();
    }

    // ------------------------------------------------------------------ helpers

    /** A rate-card bond whose payer has one triggered payout; its id. */
    private static String bondWithTriggeredPayout() {
        Bonds.openWithCohort(node::api, BOND, 5);
        Bonds.enrol(node::api, BOND, List.of("p-1"));
        Api.Response submitted = node.api("evaluator").post(B + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch", "claims": [{"participantRef": "p-1",
                 "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "e"}]}""");
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String measurement = submitted.json().get("measurementId").asText();
        Api.Response approved = node.api("payer").post(B + "/measurements/" + measurement + "/decision", """
                {"decision": "APPROVE", "reason": "checked"}""");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
        Api.Response payouts = node.api("payer").await(B + "/payouts", r -> r.json().at("/items/0/payoutId").isTextual());
        return payouts.json().at("/items/0/payoutId").asText();
    }

    /** Signs in on the login page as the browser does (form, CSRF token); the session cookie "JSESSIONID=...". */
    private static String signIn(String user) throws Exception {
        HttpResponse<String> signedIn = postLogin(user, send(HttpRequest.newBuilder(uri("/login")).GET()));
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
        return sessionCookie(signedIn);
    }

    private static HttpResponse<String> postLogin(String user, HttpResponse<String> loginPage) throws Exception {
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(csrf.find()).as("CSRF token on the login page").isTrue();
        return send(HttpRequest.newBuilder(uri("/login"))
                .header("Cookie", sessionCookie(loginPage))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=demo&_csrf=" + csrf.group(1))));
    }

    private static String sessionCookie(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';'))).reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()));
    }

    private static void assertUnauthorizedProblem(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("https://sibledger.org/problems/unauthenticated");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("detail").asText()).isNotBlank();
    }

    private static String basic(String user) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":demo").getBytes());
    }

    private static URI uri(String path) {
        return URI.create(node.node().baseUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }
}
