package org.sibledger.api.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.sibledger.api.rest.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;

import java.io.IOException;

/** A refusal by role, answered as every other error: RFC 9457 with a stable type. */
final class ProblemResponses {

    private ProblemResponses() {
    }

    static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        Problems.write(response, HttpStatus.FORBIDDEN, "role-not-allowed",
                "The principal's roles do not allow " + request.getMethod() + " " + request.getRequestURI());
    }
}
