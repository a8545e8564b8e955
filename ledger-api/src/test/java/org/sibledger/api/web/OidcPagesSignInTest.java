package org.sibledger.api.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.Terms;
import org.sibledger.testissuer.TestIssuer;
import org.sibledger.testissuer.TestIssuer.Person;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside the embedded default the pages sign people in at the OpenID Connect issuer whose tokens the API accepts
 * (the authorization-code flow with Spring Authorization Server on the loopback, the person typing their password
 * into its form): the party and roles of the ID token decide what each page shows, as the same claims of an access
 * token from the issuer's token endpoint decide for the API, and no demo user exists.
 */
@ExtendWith(InfrastructureExtension.class)
class OidcPagesSignInTest {

    private static final String BOND = "oidc-bond";
    private static TestIssuer issuer;
    private static LedgerNode node;

    @BeforeAll
    static void start() throws Exception {
        issuer = TestIssuer.start("ledger-pages", "s3cret");
        node = LedgerNode.start(TestInfrastructure.get().newDatabase(),
                "--sib.security.demo-users=false", "--sib.security.jwt.enabled=true",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.audiences=" + TestIssuer.AUDIENCE,
                "--sib.security.oidc.client-id=ledger-pages", "--sib.security.oidc.client-secret=s3cret");
        String terms = Terms.rateCard(BOND).replace("\"investors\": [\"investor\"]", "\"investors\": [\"investor\", \"investor2\"]");
        assertThat(api("POST", "/api/bonds", terms, new Person("a-1", "arranger", List.of("ARRANGER"))).statusCode()).isEqualTo(201);
        assertThat(api("POST", "/api/bonds/" + BOND + "/commitments", "{\"tranche\": \"senior\", \"amount\": \"1000.00\"}",
                new Person("i-1", "investor", List.of("INVESTOR"))).statusCode()).isEqualTo(201);
        assertThat(api("POST", "/api/bonds/" + BOND + "/commitments", "{\"tranche\": \"senior\", \"amount\": \"3000.00\"}",
                new Person("i-2", "investor2", List.of("investor"))).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void anInvestorSignsInAtTheIssuerAndSeesOnlyItsOwnPosition() throws Exception {
        HttpClient browser = browser();
        HttpResponse<String> page = issuer.signIn(browser, pages("/app/investor"), new Person("i-1", "investor", List.of("INVESTOR")));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/app/investor");
        assertThat(page.body()).contains("data-bond=\"" + BOND + "\"").contains("£1,000.00").doesNotContain("£3,000.00");
        assertThat(get(browser, "/app/payer").statusCode()).as("an investor is not a payer").isEqualTo(403);
    }

    @Test
    void theOtherInvestorSeesItsOwn() throws Exception {
        HttpClient browser = browser();
        HttpResponse<String> page = issuer.signIn(browser, pages("/app/investor"), new Person("i-2", "investor2", List.of("investor")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("£3,000.00").doesNotContain("£1,000.00");
    }

    @Test
    void rolesTheLedgerDoesNotKnowGrantNothing() throws Exception {
        HttpClient browser = browser();
        assertThat(issuer.signIn(browser, pages("/app/investor"), new Person("v-1", "visitor", List.of("VISITOR", "superuser")))
                .statusCode()).isEqualTo(403);
        assertThat(get(browser, "/app/arranger").statusCode()).isEqualTo(403);
    }

    @Test
    void theSignInPageLeadsToTheIssuerAndNoDemoUserExists() throws Exception {
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.baseUrl() + "/login")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("/oauth2/authorization/sib").doesNotContain("type=\"password\"");
        assertThat(node.api("investor").get("/api/bonds/" + BOND).status()).as("no demo user, no Basic").isEqualTo(401);
    }

    @Test
    void aTokenIsCheckedForIssuerSignatureExpiryAndAudienceAndEachRefusalIsAProblem() throws Exception {
        Person arranger = new Person("a-1", "arranger", List.of("ARRANGER"));
        assertThat(bearer("/api/bonds/" + BOND, issuer.accessToken(arranger)).statusCode()).isEqualTo(200);
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        // from the issuer's token endpoint, for another service
        refused.put("aud", issuer.accessToken(arranger, "another-service"));
        // tokens the issuer never hands out, signed with its own key
        refused.put("expired", issuer.tokenSignedWithIssuerKey(arranger, c -> c.issuedAt(java.time.Instant.now()
                .minusSeconds(3600)).expiresAt(java.time.Instant.now().minusSeconds(1800))));
        refused.put("iss", issuer.tokenSignedWithIssuerKey(arranger, c -> c.issuer("https://login.example.org/realms/other")));
        refused.put("signature", issuer.forgedAccessToken(arranger));
        for (Map.Entry<String, String> token : refused.entrySet()) {
            HttpResponse<String> answer = bearer("/api/bonds/" + BOND, token.getValue());
            assertThat(answer.statusCode()).as(token.getKey()).isEqualTo(401);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(token.getKey())
                    .startsWith("application/problem+json");
            assertThat(answer.headers().firstValue("WWW-Authenticate").orElse("")).as(token.getKey()).startsWith("Bearer");
            com.fasterxml.jackson.databind.JsonNode problem = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
            assertThat(problem.get("status").asInt()).isEqualTo(401);
            assertThat(problem.get("code").asText()).isEqualTo("invalid-token");
            assertThat(problem.get("detail").asText()).as(token.getKey()).contains(switch (token.getKey()) {
                case "aud" -> "aud";
                case "expired" -> "expired";
                case "iss" -> "iss";
                default -> "The bearer token is not valid";
            }).doesNotContain("java.", "org.springframework", "com.nimbusds");
        }
    }

    private static HttpResponse<String> bearer(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A page of the ledger as a browser asks for it, at the loopback IP address: the issuer accepts a redirect to a
     * loopback IP on any port but never to "localhost" (RFC 8252), and the ledger makes its redirect address from the
     * address the browser used.
     */
    private static URI pages(String path) {
        return URI.create("http://127.0.0.1:" + node.webServer().getPort() + path);
    }

    /** A browser: cookies kept, redirects followed (the issuer is on another port of the loopback). */
    private static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient browser, String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(pages(path)).header("Accept", "text/html").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> api(String method, String path, String body, Person person) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
                        .header("Authorization", "Bearer " + issuer.accessToken(person))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
