package org.sibledger.testissuer;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.autoconfigure.security.oauth2.server.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test issuer's application: Spring Authorization Server as Spring Boot configures it (its discovery document,
 * JWKS, authorization and token endpoints, form sign-in and its own generated RSA key), with in-memory clients and
 * users that the tests register. It lives outside {@code org.sibledger.api} so that the ledger's component scan
 * never picks it up: the issuer and the ledger are two applications that only talk over HTTP.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ServletWebServerFactoryAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
        SecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class,
        OAuth2AuthorizationServerAutoConfiguration.class, OAuth2AuthorizationServerJwtAutoConfiguration.class})
class IssuerConfiguration {

    /** Client settings naming what the client's access tokens carry (a client per party, as a service account). */
    static final String PARTY = "sib.party_id";
    static final String ROLES = "sib.roles";
    static final String AUDIENCE = "sib.audience";

    /** The client the ledger's pages sign people in with (authorization code, OpenID Connect, no consent page). */
    @Bean
    InMemoryRegisteredClientRepository clients(IssuerSettings settings) {
        RegisteredClient pages = RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId(settings.pagesClientId()).clientSecret("{noop}" + settings.pagesClientSecret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                // a loopback IP literal: the issuer accepts it on any port (RFC 8252), so on the ledger's random port
                .redirectUri("http://127.0.0.1/login/oauth2/code/sib")
                .scope(OidcScopes.OPENID)
                .clientSettings(ClientSettings.builder().requireAuthorizationConsent(false).build())
                .build();
        return new InMemoryRegisteredClientRepository(pages);
    }

    /** The people who may sign in at the issuer (their party and roles are in {@link People}). */
    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager();
    }

    @Bean
    People people() {
        return new People();
    }

    /**
     * The claims the ledger reads: an ID token names the signed-in person's party and roles; an access token of the
     * client-credentials grant names its client's party and roles and is for the audience its client is registered
     * with.
     */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> ledgerClaims(People people) {
        return context -> {
            if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())) {
                IssuerPerson person = people.get(context.getPrincipal().getName());
                if (person != null) {
                    context.getClaims().claim("party_id", person.party()).claim("roles", person.roles());
                }
            } else if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
                    && AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
                ClientSettings client = context.getRegisteredClient().getClientSettings();
                context.getClaims().claim("party_id", client.<Object>getSetting(PARTY))
                        .claim("roles", client.<Object>getSetting(ROLES))
                        .audience(List.of(client.<String>getSetting(AUDIENCE)));
            }
        };
    }

    record IssuerSettings(String pagesClientId, String pagesClientSecret) {
    }

    record IssuerPerson(String party, List<String> roles) {
    }

    /** The party and roles of each user name. */
    static final class People {
        private final Map<String, IssuerPerson> byName = new ConcurrentHashMap<>();

        IssuerPerson get(String name) {
            return byName.get(name);
        }

        void put(String name, IssuerPerson person) {
            byName.put(name, person);
        }
    }
}
