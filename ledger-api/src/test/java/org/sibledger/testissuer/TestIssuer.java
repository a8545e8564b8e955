package org.sibledger.testissuer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OpenID Connect issuer for tests: Spring Authorization Server ({@link IssuerConfiguration}) started in this
 * JVM on a random port, as an application of its own. The ledger finds it through its discovery document and checks
 * its tokens against its JWKS; the tests get access tokens from its token endpoint (client credentials: one client
 * per party, whose tokens carry that party and its roles for the ledger's audience) and sign people in at its form
 * (authorization code). Only the tokens an issuer never hands out (expired, naming another issuer, or signed by a
 * key that is not the issuer's) are made here, outside its endpoints.
 */
public final class TestIssuer implements AutoCloseable {

    /** The audience of the access tokens for the ledger's API (the ledger is configured with it in the tests). */
    public static final String AUDIENCE = "sib-ledger";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String tokenEndpoint;

    /** Someone known to the issuer: the user name (and subject), the party the ledger knows them as, their roles. */
    public record Person(String subject, String party, List<String> roles) {
    }

    private TestIssuer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the issuer with the ledger pages' client registered (authorization code, secret sent with HTTP Basic). */
    public static TestIssuer start(String pagesClientId, String pagesClientSecret) {
        SpringApplication application = new SpringApplication(IssuerConfiguration.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("issuerSettings",
                new IssuerConfiguration.IssuerSettings(pagesClientId, pagesClientSecret)));
        // none of the ledger's application*.yml: this is another application that happens to share the classpath
        return new TestIssuer(application.run("--spring.config.name=test-issuer", "--server.port=0",
                "--server.servlet.session.cookie.name=ISSUER_SESSION"));
    }

    public String issuer() {
        return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** An access token for the API from the issuer's token endpoint, as the person's client holds it. */
    public String accessToken(Person person) throws Exception {
        return accessToken(person, AUDIENCE);
    }

    /**
     * An access token from the issuer's token endpoint for the person's party and roles, but for the given audience
     * (a client of the issuer registered for another service).
     */
    public String accessToken(Person person, String audience) throws Exception {
        String clientId = AUDIENCE.equals(audience) ? person.subject() : person.subject() + "." + audience;
        String secret = "secret-of-" + clientId;
        InMemoryRegisteredClientRepository clients = context.getBean(InMemoryRegisteredClientRepository.class);
        RegisteredClient known = clients.findByClientId(clientId);
        clients.save(RegisteredClient.withId(known != null ? known.getId() : UUID.randomUUID().toString())
                .clientId(clientId).clientSecret("{noop}" + secret)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .clientSettings(ClientSettings.builder().setting(IssuerConfiguration.PARTY, person.party())
                        .setting(IssuerConfiguration.ROLES, List.copyOf(person.roles()))
                        .setting(IssuerConfiguration.AUDIENCE, audience).build())
                .build());
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(tokenEndpoint()))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("The issuer gave no token: " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body()).get("access_token").asText();
    }

    /**
     * A token the issuer would not hand out, signed with the issuer's own key: the claims of {@link #accessToken}
     * with the given changes (an expiry in the past, another issuer).
     */
    public String tokenSignedWithIssuerKey(Person person, Consumer<JwtClaimsSet.Builder> change) {
        return sign(issuerKeys(), person, change);
    }

    /** A token with the claims of {@link #accessToken}, signed by a key that is not the issuer's (under its key id). */
    public String forgedAccessToken(Person person) throws Exception {
        JWK issuerKey = issuerKeys().get(new JWKSelector(new JWKMatcher.Builder().build()), null).get(0);
        JWK other = new RSAKeyGenerator(2048).keyID(issuerKey.getKeyID()).generate();
        return sign(new ImmutableJWKSet<>(new JWKSet(other)), person, claims -> {
        });
    }

    /**
     * Signs the person in through the pages: the browser asks for {@code page}, the ledger sends it to the issuer,
     * the person types their user name and password into the issuer's sign-in form, and the browser follows the
     * issuer back to the ledger. Returns the ledger's answer at the end of that.
     */
    public HttpResponse<String> signIn(HttpClient browser, URI page, Person person) throws Exception {
        InMemoryUserDetailsManager users = context.getBean(InMemoryUserDetailsManager.class);
        UserDetails user = User.withUsername(person.subject()).password("{noop}password-of-" + person.subject())
                .authorities("USER").build();
        if (users.userExists(person.subject())) {
            users.updateUser(user);
        } else {
            users.createUser(user);
        }
        context.getBean(IssuerConfiguration.People.class).put(person.subject(),
                new IssuerConfiguration.IssuerPerson(person.party(), List.copyOf(person.roles())));
        HttpResponse<String> form = browser.send(HttpRequest.newBuilder(page).header("Accept", "text/html")
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (!form.uri().toString().startsWith(issuer() + "/login")) {
            throw new IllegalStateException("Expected the issuer's sign-in form, got " + form.statusCode() + " at "
                    + form.uri() + ": " + form.body());
        }
        Matcher input = CSRF_INPUT.matcher(form.body());
        Matcher value = input.find() ? VALUE.matcher(input.group()) : null;
        if (value == null || !value.find()) {
            throw new IllegalStateException("The issuer's sign-in form has no CSRF token: " + form.body());
        }
        String fields = "username=" + URLEncoder.encode(person.subject(), StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode("password-of-" + person.subject(), StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(value.group(1), StandardCharsets.UTF_8);
        return browser.send(HttpRequest.newBuilder(URI.create(issuer() + "/login")).header("Accept", "text/html")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(fields)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The token endpoint, as the issuer's discovery document names it. */
    private String tokenEndpoint() throws Exception {
        if (tokenEndpoint == null) {
            HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(
                    URI.create(issuer() + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode document = JSON.readTree(discovery.body());
            tokenEndpoint = document.get("token_endpoint").asText();
        }
        return tokenEndpoint;
    }

    @SuppressWarnings("unchecked")
    private JWKSource<SecurityContext> issuerKeys() {
        return context.getBean(JWKSource.class);
    }

    private String sign(JWKSource<SecurityContext> keys, Person person, Consumer<JwtClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder().issuer(issuer()).subject(person.subject())
                .audience(List.of(AUDIENCE)).issuedAt(now).expiresAt(now.plusSeconds(300))
                .claim("party_id", person.party()).claim("roles", List.copyOf(person.roles()));
        change.accept(claims);
        return new NimbusJwtEncoder(keys).encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(),
                claims.build())).getTokenValue();
    }

    @Override
    public void close() {
        context.close();
    }
}
