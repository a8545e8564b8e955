package org.sibledger.api.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An OpenID Connect issuer on the loopback for tests: discovery, JWKS, the authorization endpoint (which signs in
 * whoever the test named, without a form) and the token endpoint of the authorization-code flow, with RS256 ID
 * tokens that carry the nonce, the party and the roles. The ledger talks to it over HTTP as to any issuer; only the
 * person at the issuer is simulated.
 */
public final class TestOidcProvider implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final RSAKey key;
    private final String clientId;
    private final String clientSecret;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private volatile Person signedIn;

    public record Person(String subject, String party, List<String> roles) {
    }

    private record Grant(Person person, String nonce, String redirectUri) {
    }

    private TestOidcProvider(String clientId, String clientSecret) throws Exception {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", exchange -> send(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    public static TestOidcProvider start(String clientId, String clientSecret) throws Exception {
        return new TestOidcProvider(clientId, clientSecret);
    }

    public String issuer() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Who signs in at the next authorization request, as if they had typed their password at the issuer. */
    public void signInAs(Person person) {
        this.signedIn = person;
    }

    /** An access token for the API, as a client of this issuer would hold for the person. */
    public String accessToken(Person person) throws Exception {
        return sign(claims(person).audience(AUDIENCE).build());
    }

    /** The audience of the access tokens for the ledger's API (the ledger is configured with it in the tests). */
    public static final String AUDIENCE = "sib-ledger";

    /** An access token as {@link #accessToken} with its claims changed, e.g. another audience or an expiry past. */
    public String accessToken(Person person, java.util.function.UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return sign(change.apply(claims(person).audience(AUDIENCE)).build());
    }

    /** An access token with the right claims, signed by a key that is not this issuer's. */
    public String forgedAccessToken(Person person) throws Exception {
        RSAKey other = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(other.getKeyID()).build(),
                claims(person).audience(AUDIENCE).build());
        token.sign(new RSASSASigner(other));
        return token.serialize();
    }

    /** The claims every token of this issuer carries for a person: issuer, subject, party and roles, five minutes. */
    private JWTClaimsSet.Builder claims(Person person) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer()).subject(person.subject()).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).claim("party_id", person.party())
                .claim("roles", person.roles());
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        token.sign(new RSASSASigner(key));
        return token.serialize();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer());
        document.put("authorization_endpoint", issuer() + "/authorize");
        document.put("token_endpoint", issuer() + "/token");
        document.put("jwks_uri", issuer() + "/jwks");
        document.put("response_types_supported", List.of("code"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        document.put("scopes_supported", List.of("openid"));
        send(exchange, 200, JSON.writeValueAsString(document));
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        Person person = signedIn;
        if (person == null || !clientId.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))) {
            send(exchange, 400, "{\"error\": \"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(person, query.get("nonce"), query.get("redirect_uri")));
        String location = query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                        + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"error\": \"invalid_client\"}");
            return;
        }
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = codes.remove(String.valueOf(body.get("code")));
        if (grant == null || !"authorization_code".equals(body.get("grant_type"))
                || !grant.redirectUri().equals(body.get("redirect_uri"))) {
            send(exchange, 400, "{\"error\": \"invalid_grant\"}");
            return;
        }
        try {
            JWTClaimsSet.Builder idToken = claims(grant.person()).audience(clientId);
            if (grant.nonce() != null) {
                idToken.claim("nonce", grant.nonce());
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("access_token", UUID.randomUUID().toString());
            answer.put("token_type", "Bearer");
            answer.put("expires_in", 300);
            answer.put("scope", "openid");
            answer.put("id_token", sign(idToken.build()));
            send(exchange, 200, JSON.writeValueAsString(answer));
        } catch (Exception e) {
            send(exchange, 500, "{\"error\": \"server_error\"}");
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
