package org.sibledger.api.security;

import org.sibledger.api.rest.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who may call what. The embedded default signs in demo users (HTTP Basic); every other set-up takes JWTs from an
 * OpenID Connect issuer, whose claims name the party id and the roles. Per-bond rules (a principal acts only where
 * the terms name it) are the command side's and the controllers'. Three chains: the operators' endpoints (actuator),
 * the pages (a session, CSRF tokens on every form), and the API with the public files (no session: credentials with
 * each request). Every 401 and 403 of the actuator and the API is an RFC 9457 problem (ProblemResponses).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    static final List<DemoUser> DEMO_USERS = List.of(
            new DemoUser("arranger", Role.ARRANGER),
            new DemoUser("investor", Role.INVESTOR),
            new DemoUser("investor2", Role.INVESTOR),
            new DemoUser("payer", Role.OUTCOME_PAYER),
            new DemoUser("payer2", Role.OUTCOME_PAYER),
            new DemoUser("reviewer", Role.REVIEWER),
            new DemoUser("evaluator", Role.EVALUATOR),
            new DemoUser("provider", Role.PROVIDER),
            new DemoUser("admin", Role.ADMIN));

    record DemoUser(String name, Role role) {
    }

    /**
     * The web pages: the same users and roles as the API, kept in a session, with CSRF tokens on every form. On the
     * embedded default the demo users sign in with a form; where an OpenID Connect client is configured
     * ({@code SIB_OIDC_CLIENT_ID}) people sign in at the issuer whose tokens the API accepts, and their ID token's
     * party and roles claims are read exactly as the API reads its JWTs. What each page shows is decided by the same
     * rules as the API (see web/).
     */
    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http,
                              org.springframework.beans.factory.ObjectProvider<ClientRegistrationRepository> oidcClients,
                              @Value("${sib.security.jwt.party-claim:party_id}") String partyClaim,
                              @Value("${sib.security.jwt.roles-claim:roles}") String rolesClaim) throws Exception {
        // Swagger UI (springdoc, showing openapi.yaml) is for people signed in to the pages, like the pages themselves
        http.securityMatcher("/app/**", "/login", "/logout", "/oauth2/**", "/login/oauth2/**", "/swagger-ui", "/swagger-ui/**",
                        "/swagger-ui.html", "/v3/api-docs/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/login").permitAll()
                        .requestMatchers("/app/investor/**").hasRole(Role.INVESTOR.name())
                        .requestMatchers("/app/payer/**").hasRole(Role.OUTCOME_PAYER.name())
                        .requestMatchers("/app/evaluator/**").hasRole(Role.EVALUATOR.name())
                        .requestMatchers("/app/arranger/**").hasAnyRole(Role.ARRANGER.name(), Role.ADMIN.name())
                        .requestMatchers("/app/provider/**").hasRole(Role.PROVIDER.name())
                        .anyRequest().authenticated())
                // another role's page: the app's 403 page (BondPages.denied), rendered within the session, so that its
                // header still offers the reader's own pages and signing out (the /error dispatch has no session)
                .exceptionHandling(e -> e.accessDeniedPage("/app/denied"))
                .headers(PAGE_HEADERS)
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?out"));
        if (oidcClients.getIfAvailable() != null) {
            http.oauth2Login(login -> login.loginPage("/oauth2/authorization/" + OIDC_REGISTRATION)
                    .userInfoEndpoint(info -> info.oidcUserService(oidcUsers(partyClaim, rolesClaim))));
        } else {
            http.formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/app", true).permitAll());
        }
        return http.build();
    }

    static final String OIDC_REGISTRATION = "sib";

    /**
     * The pages' OpenID Connect client, from the issuer's discovery document; only where a client id is configured
     * (the API alone needs none: it only checks tokens).
     */
    @Bean
    @ConditionalOnProperty(name = "sib.security.oidc.client-id")
    ClientRegistrationRepository oidcClients(@Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}") String issuer,
                                             @Value("${sib.security.oidc.client-id}") String clientId,
                                             @Value("${sib.security.oidc.client-secret:}") String clientSecret) {
        return new InMemoryClientRegistrationRepository(ClientRegistrations.fromIssuerLocation(issuer)
                .registrationId(OIDC_REGISTRATION).clientId(clientId).clientSecret(clientSecret)
                .scope("openid").build());
    }

    /** A person signed in at the issuer: the party and the roles their ID token names, as for the API's JWTs. */
    static OAuth2UserService<OidcUserRequest, OidcUser> oidcUsers(String partyClaim, String rolesClaim) {
        OidcUserService standard = new OidcUserService();
        return request -> {
            OidcUser user = standard.loadUser(request);
            Collection<GrantedAuthority> authorities = authorities(user.getClaimAsStringList(rolesClaim));
            authorities.add(new SimpleGrantedAuthority("OIDC_USER"));
            String nameClaim = user.getClaimAsString(partyClaim) != null ? partyClaim : "sub";
            return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), nameClaim);
        };
    }

    /**
     * The API and the public files. {@code /api/**} takes only credentials sent with each request, a bearer token
     * (JWT) or HTTP Basic, and neither creates nor reads a session: the pages' session cookie, which a browser sends
     * along with any cross-site request, authenticates nothing here (a request with only the cookie gets 401).
     */
    @Bean
    @Order(3)
    SecurityFilterChain api(HttpSecurity http,
                            @Value("${sib.security.jwt.enabled:false}") boolean jwt,
                            @Value("${sib.security.jwt.party-claim:party_id}") String partyClaim,
                            @Value("${sib.security.jwt.roles-claim:roles}") String rolesClaim) throws Exception {
        AuthenticationEntryPoint unauthorized = ProblemResponses.unauthorized(jwt ? ProblemResponses.BEARER : ProblemResponses.BASIC);
        http.csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(PAGE_HEADERS)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/", "/index.html", "/favicon.ico", "/error", "/openapi.yaml", "/api/schemas",
                                "/api/schemas/*", "/css/**", "/js/**",
                                "/webjars/**").permitAll()
                        .requestMatchers("/api/admin/**").hasRole(Role.ADMIN.name())
                        // who may send each command; the bond then checks that its terms name the principal in that role
                        .requestMatchers(HttpMethod.POST, "/api/bonds", "/api/bonds/*/amendments", "/api/bonds/*/parties",
                                "/api/bonds/*/opening", "/api/bonds/*/capital-calls", "/api/bonds/*/disbursements",
                                "/api/bonds/*/distributions", "/api/bonds/*/maturity", "/api/bonds/*/guarantee-call",
                                "/api/bonds/*/closing").hasRole(Role.ARRANGER.name())
                        .requestMatchers(HttpMethod.POST, "/api/bonds/*/commitments", "/api/bonds/*/commitments/**",
                                "/api/bonds/*/capital-calls/*/fundings").hasRole(Role.INVESTOR.name())
                        .requestMatchers(HttpMethod.POST, "/api/bonds/*/cohorts").hasAnyRole(Role.ARRANGER.name(), Role.PROVIDER.name())
                        .requestMatchers(HttpMethod.POST, "/api/bonds/*/cohorts/*/participants").hasRole(Role.PROVIDER.name())
                        .requestMatchers(HttpMethod.POST, "/api/bonds/*/measurements").hasRole(Role.EVALUATOR.name())
                        .requestMatchers(HttpMethod.POST, "/api/bonds/*/measurements/*/decision",
                                "/api/bonds/*/payouts/*/settlement")
                                .hasRole(Role.OUTCOME_PAYER.name())
                        .requestMatchers(HttpMethod.POST, "/api/bonds/*/measurements/*/dispute-resolution")
                                .hasRole(Role.REVIEWER.name())
                        // consent is given or refused by each party for itself; the bond checks whose consent it needs
                        .requestMatchers(HttpMethod.POST, "/api/bonds/*/amendments/*/consent", "/api/bonds/*/amendments/*/decline")
                                .hasAnyRole(Role.OUTCOME_PAYER.name(), Role.INVESTOR.name(), Role.ARRANGER.name())
                        .requestMatchers(HttpMethod.GET, "/api/bonds/*/measurements", "/api/bonds/*/measurements/*").hasAnyRole(Role.OUTCOME_PAYER.name(),
                                Role.EVALUATOR.name(), Role.ARRANGER.name(), Role.REVIEWER.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/bonds/*/liabilities").hasAnyRole(Role.OUTCOME_PAYER.name(),
                                Role.ARRANGER.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/bonds/*/export/indigo").hasAnyRole(Role.ARRANGER.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/investors/*/portfolio").hasAnyRole(Role.INVESTOR.name(), Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/**").denyAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(ProblemResponses::forbidden));
        if (jwt) {
            http.oauth2ResourceServer(o -> o.authenticationEntryPoint(ProblemResponses.invalidBearer())
                    .jwt(j -> j.jwtAuthenticationConverter(jwtConverter(partyClaim, rolesClaim))));
        } else {
            http.httpBasic(basic -> basic.authenticationEntryPoint(unauthorized));
        }
        return http.build();
    }

    /** The authority of the Prometheus scrape credential (sib.metrics.scrape-user): it may read /actuator/prometheus only. */
    static final String METRICS_SCRAPER = "METRICS_SCRAPER";

    /**
     * The operators' endpoints. Anyone may ask {@code /actuator/health} and its probes, and is told the status only;
     * an admin sees the details and components (management.endpoint.health.show-details: when-authorized).
     * {@code /actuator/prometheus} answers an admin or the scrape credential of {@code sib.metrics.scrape-user} and
     * {@code sib.metrics.scrape-password} (HTTP Basic; without a password there is no such credential); every other
     * endpoint answers an admin only. Stateless, like the API: a session cookie counts for nothing here.
     */
    @Bean
    @Order(1)
    SecurityFilterChain operations(HttpSecurity http,
                                   @Value("${sib.security.jwt.enabled:false}") boolean jwt,
                                   @Value("${sib.security.jwt.party-claim:party_id}") String partyClaim,
                                   @Value("${sib.security.jwt.roles-claim:roles}") String rolesClaim,
                                   @Value("${sib.metrics.scrape-user:prometheus}") String scrapeUser,
                                   @Value("${sib.metrics.scrape-password:}") String scrapePassword) throws Exception {
        AuthenticationEntryPoint unauthorized = jwt
                ? ProblemResponses.unauthorized(ProblemResponses.BASIC, ProblemResponses.BEARER)
                : ProblemResponses.unauthorized(ProblemResponses.BASIC);
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(PAGE_HEADERS)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class)).permitAll()
                        .requestMatchers(EndpointRequest.to(PrometheusScrapeEndpoint.class))
                                .hasAnyRole(Role.ADMIN.name(), METRICS_SCRAPER)
                        .anyRequest().hasRole(Role.ADMIN.name()))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(ProblemResponses::forbidden))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .authenticationProvider(scrapeCredential(scrapeUser, scrapePassword));
        if (jwt) {
            http.oauth2ResourceServer(o -> o.authenticationEntryPoint(ProblemResponses.invalidBearer())
                    .jwt(j -> j.jwtAuthenticationConverter(jwtConverter(partyClaim, rolesClaim))));
        }
        return http.build();
    }

    /**
     * The scrape credential, checked in constant time; the demo users (embedded default) are checked after it, by
     * the application's own user lookup.
     */
    static DaoAuthenticationProvider scrapeCredential(String user, String password) {
        UserDetailsService users = name -> {
            if (password.isEmpty() || !name.equals(user)) {
                throw new UsernameNotFoundException("no scrape credential " + name);
            }
            return User.withUsername(user).password(password).roles(METRICS_SCRAPER).build();
        };
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(new PasswordEncoder() {
            @Override
            public String encode(CharSequence raw) {
                return raw.toString();
            }

            @Override
            public boolean matches(CharSequence raw, String stored) {
                return MessageDigest.isEqual(raw.toString().getBytes(StandardCharsets.UTF_8),
                        stored.getBytes(StandardCharsets.UTF_8));
            }
        });
        return provider;
    }

    /**
     * What every page (and every other answer) tells the browser: scripts, styles, images and fonts only from the
     * ledger itself (no inline script or style: the pages have none), forms only to the ledger, never framed; and no
     * more than the origin as Referer to other sites.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";

    private static final Customizer<HeadersConfigurer<HttpSecurity>> PAGE_HEADERS = headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN));

    /**
     * A request the firewall refuses (an encoded slash, a NUL, a backslash or a double dot in the path) is answered
     * as every other bad input: a 400 problem, not the servlet container's HTML page.
     */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejected() {
        return (request, response, rejected) -> Problems.write(response, org.springframework.http.HttpStatus.BAD_REQUEST,
                "request-rejected", "The request was refused before reaching the ledger: " + rejected.getMessage());
    }

    /** Demo users exist only on the embedded default, and are announced loudly. */
    @Bean
    @ConditionalOnProperty(name = "sib.security.demo-users", havingValue = "true")
    UserDetailsService demoUsers(Environment env) {
        if (env.getActiveProfiles().length > 0) {
            throw new IllegalStateException("Demo users are refused under profile(s) "
                    + String.join(",", env.getActiveProfiles()) + ": they exist only on the embedded default. "
                    + "Set sib.security.demo-users=false and configure an OpenID Connect issuer (SIB_OIDC_ISSUER_URI)");
        }
        log.warn("DEMO USERS ARE ENABLED: {} sign in with password 'demo'. Never expose this ledger beyond this machine.",
                DEMO_USERS.stream().map(DemoUser::name).toList());
        List<UserDetails> users = new ArrayList<>();
        for (DemoUser user : DEMO_USERS) {
            users.add(User.withUsername(user.name()).password("{noop}demo").roles(user.role().name()).build());
        }
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager(users);
        // Only a lookup is exposed, not the manager's password-upgrade service: otherwise Spring Security re-encodes
        // the public word "demo" with BCrypt after the first sign-in, and every request then spends ~70 ms of CPU
        // checking a password that protects nothing.
        return manager::loadUserByUsername;
    }

    /**
     * With demo users (whose password is public) the server listens on the loopback interface only, unless
     * {@code server.address} is set explicitly: the demo ledger is for the machine it runs on.
     */
    @Bean
    @ConditionalOnProperty(name = "sib.security.demo-users", havingValue = "true")
    WebServerFactoryCustomizer<ConfigurableWebServerFactory> loopbackForDemoUsers(Environment env) {
        return factory -> {
            if (env.getProperty("server.address") == null) {
                factory.setAddress(InetAddress.getLoopbackAddress());
                log.info("Demo users: listening on {} only (set server.address to listen elsewhere)",
                        InetAddress.getLoopbackAddress().getHostAddress());
            }
        };
    }

    static Converter<Jwt, AbstractAuthenticationToken> jwtConverter(String partyClaim, String rolesClaim) {
        return jwt -> {
            Collection<GrantedAuthority> authorities = authorities(jwt.getClaimAsStringList(rolesClaim));
            String party = jwt.getClaimAsString(partyClaim);
            return new JwtAuthenticationToken(jwt, authorities, party != null ? party : jwt.getSubject());
        };
    }

    /** The ledger's roles among a token's role names (any case); other names grant nothing. */
    private static Collection<GrantedAuthority> authorities(List<String> roles) {
        Collection<GrantedAuthority> authorities = new ArrayList<>();
        if (roles != null) {
            for (String role : roles) {
                String upper = role.toUpperCase();
                if (isKnownRole(upper)) {
                    authorities.add(new SimpleGrantedAuthority("ROLE_" + upper));
                }
            }
        }
        return authorities;
    }

    private static boolean isKnownRole(String name) {
        for (Role role : Role.values()) {
            if (role.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
