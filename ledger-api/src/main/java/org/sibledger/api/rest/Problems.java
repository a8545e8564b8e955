package org.sibledger.api.rest;

import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.sibledger.contracts.common.CommandRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sibledger.api.command.Transience;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Every error as RFC 9457 problem details with a stable {@code type} (https://sibledger.org/problems/{code}) and,
 * where fields are at fault, {@code errors}: [{pointer, message}].
 */
@RestControllerAdvice
public class Problems extends ResponseEntityExceptionHandler {

    public static final String TYPE_BASE = "https://sibledger.org/problems/";

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    /**
     * Refusals of the request itself, before any bond is asked: a body that is not JSON or does not fit the request
     * (400), a query parameter out of range (400). Every other invalid command is well-formed but refused (422).
     */
    private static final java.util.Set<String> BAD_REQUEST_CODES = java.util.Set.of("malformed-json", "invalid-request",
            "invalid-message", "invalid-paging", "invalid-parameter");

    public static ProblemDetail problem(HttpStatusCode status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + code));
        problem.setTitle(titleOf(code));
        problem.setProperty("code", code);
        return problem;
    }

    /** Writes a problem outside Spring MVC (servlet filters, security handlers), shaped as every other one. */
    public static void write(jakarta.servlet.http.HttpServletResponse response, HttpStatus status, String code,
                             String detail) throws java.io.IOException {
        ProblemDetail problem = problem(status, code, detail);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.putAll(problem.getProperties());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        WRITER.writeValue(response.getOutputStream(), body);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper WRITER = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The status of a refusal, the same on REST and in a rejection of the Kafka intake. */
    public static HttpStatus status(CommandRefusedException e) {
        return switch (e.kind()) {
            case INVALID -> BAD_REQUEST_CODES.contains(e.code()) ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
    }

    @ExceptionHandler(CommandRefusedException.class)
    ResponseEntity<ProblemDetail> refused(CommandRefusedException e) {
        HttpStatus status = status(e);
        ProblemDetail problem = problem(status, e.code(), e.getMessage());
        if (!e.violations().isEmpty()) {
            problem.setProperty("errors", e.violations().stream()
                    .map(v -> JsonBodies.object("pointer", v.pointer() == null ? "/" : v.pointer(),
                            "message", v.message() == null ? "is not valid" : v.message())).toList());
        }
        return respond(problem);
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrent(ConcurrencyException e) {
        return respond(problem(HttpStatus.CONFLICT, "concurrent-change",
                "The bond changed while this command was decided; retry it"));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return respond(problem(HttpStatus.FORBIDDEN, "forbidden", "This principal may not do this"));
    }

    @ExceptionHandler(EventStoreException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(EventStoreException e) {
        log.error("event store failure", e);
        return storeUnavailable();
    }

    /** Retry-After of the 503 answers: the store away, this node stopping. */
    public static final String RETRY_AFTER_SECONDS = "5";
    private static final String STORE_UNAVAILABLE =
            "The ledger's database cannot be reached; nothing was recorded. Retry later with the same Idempotency-Key.";

    /** The one answer to a store that cannot be reached: 503 with Retry-After, nothing recorded. */
    private static ResponseEntity<ProblemDetail> storeUnavailable() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", STORE_UNAVAILABLE));
    }

    /** The same answer from a servlet filter. */
    public static void writeStoreUnavailable(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        write(response, HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", STORE_UNAVAILABLE);
    }

    /**
     * The answer to a request that comes while this node stops (config.ShutdownDrain): 503 with Retry-After, nothing
     * recorded, and the connection closed after it.
     */
    public static void writeShuttingDown(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        write(response, HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "This node of the ledger is stopping and takes "
                + "no new requests; nothing was recorded. Send the request to another node, or again once this one is "
                + "back, with the same Idempotency-Key.");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (Transience.isTransient(e)) {
            // the database away (a refused connection, a pool that times out), however Axon or Spring wrapped it
            log.warn("store unavailable: {}", e.toString());
            return storeUnavailable();
        }
        log.error("unexpected failure", e);
        return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "The ledger failed unexpectedly; the failure is logged."));
    }

    /** Spring MVC's own errors (wrong media type, method, missing parameter) get our stable types as well. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            String code = codeOf(statusCode);
            problem.setType(URI.create(TYPE_BASE + code));
            problem.setProperty("code", code);
        }
        return response;
    }

    private static String codeOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status.value();
        };
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String titleOf(String code) {
        String words = code.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

}
