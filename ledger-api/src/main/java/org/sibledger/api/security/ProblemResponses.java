package org.sibledger.api.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.sibledger.api.rest.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;

import java.io.IOException;

/** A refusal by the security filters, answered as every other error: RFC 9457 with a stable type. */
final class ProblemResponses {

    static final String BASIC = "Basic realm=\"sib-ledger\"";
    static final String BEARER = "Bearer";

    private ProblemResponses() {
    }

    static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (denied instanceof CsrfException) {
            Problems.write(response, HttpStatus.FORBIDDEN, "csrf-token-missing",
                    "The request carries no valid CSRF token for " + request.getMethod() + " " + request.getRequestURI());
            return;
        }
        Problems.write(response, HttpStatus.FORBIDDEN, "role-not-allowed",
                "The principal's roles do not allow " + request.getMethod() + " " + request.getRequestURI());
    }

    /**
     * No credentials, or wrong ones: 401 with the schemes that are accepted (WWW-Authenticate) and a problem body
     * that names neither the user nor why the credentials failed.
     */
    static AuthenticationEntryPoint unauthorized(String... challenges) {
        return (request, response, failure) -> {
            for (String challenge : challenges) {
                response.addHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
            }
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "Credentials are required for " + request.getMethod() + " " + request.getRequestURI()
                            + ": a bearer token or HTTP Basic, sent with each request (a session cookie is not accepted)");
        };
    }

    /** A bearer token that is not valid: Spring's RFC 6750 challenge (with the error), and the problem body. */
    static AuthenticationEntryPoint invalidBearer() {
        BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
        return (request, response, failure) -> {
            challenge.commence(request, response, failure);
            Problems.write(response, HttpStatus.UNAUTHORIZED, "invalid-token",
                    "The bearer token is not valid for " + request.getMethod() + " " + request.getRequestURI()
                            + reason(failure));
        };
    }

    /**
     * Why a token was refused, as the resource server said it (an expired token, an issuer or audience that is not
     * the ledger's, a signature that does not verify), without the decoder's own wording around it.
     */
    private static String reason(org.springframework.security.core.AuthenticationException failure) {
        String message = failure == null ? null : failure.getMessage();
        if (message == null || message.isBlank()) {
            return "";
        }
        String prefix = "An error occurred while attempting to decode the Jwt: ";
        String reason = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        return ": " + reason;
    }
}
