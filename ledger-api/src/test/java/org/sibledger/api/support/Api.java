package org.sibledger.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.common.ContractsJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/** A small HTTP client for the ledger's API, signed in as one demo user (or no one). */
public final class Api {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String authorization;
    private final boolean checked;
    private final String prefer;

    Api(String baseUrl, String user, String password) {
        this(baseUrl, user, password, true);
    }

    private Api(String baseUrl, String user, String password, boolean checked) {
        this(baseUrl, user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)), checked, null);
    }

    private Api(String baseUrl, String authorization, boolean checked, String prefer) {
        this.baseUrl = baseUrl;
        this.checked = checked;
        this.authorization = authorization;
        this.prefer = prefer;
    }

    /** The same client, sending {@code Prefer: <preference>} (RFC 7240) with every request, e.g. {@code wait=0}. */
    public Api preferring(String preference) {
        return new Api(baseUrl, authorization, checked, preference);
    }

    /**
     * The same client without the check of every answer against openapi.yaml: for load, where the check would take
     * the machine's CPU from the server it measures (the contract is checked by the other tests).
     */
    public static Api unchecked(String baseUrl, String user) {
        return new Api(baseUrl, user, "demo", false);
    }

    /** A client of a ledger at {@code baseUrl} (e.g. one run as a separate process), signed in as a demo user. */
    public static Api at(String baseUrl, String user) {
        return new Api(baseUrl, user, "demo");
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public Response post(String path, String body) {
        return post(path, body, "application/json");
    }

    public Response post(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A POST with an Idempotency-Key header. */
    public Response postWithKey(String path, String body, String idempotencyKey) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** GETs until the answer satisfies {@code until} or ten seconds pass; returns the last answer. */
    public Response await(String path, Predicate<Response> until) {
        return Waits.lastAnswer(Duration.ofSeconds(10), Duration.ofMillis(50), () -> get(path), until);
    }

    private Response send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Response answer = new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null),
                    response.headers().firstValue("Idempotent-Replayed").isPresent(),
                    response.headers().firstValue("Ledger-Views-Behind").orElse(null));
            String path = response.request().uri().getRawPath();
            if (checked && path.startsWith("/api/")) {
                List<String> violations = OpenApiContract.get().violations(response.request().method(), path,
                        answer.status(), answer.contentType(), answer.body());
                if (!violations.isEmpty()) {
                    throw new AssertionError("The answer does not match openapi.yaml: " + violations);
                }
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An answer; {@code viewsBehind} is the Ledger-Views-Behind header (the read models behind for a command's bond). */
    public record Response(int status, String body, String contentType, String location, boolean replayed,
                           String viewsBehind) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }

        /** Asserts the status and returns the body as JSON (null for an empty body). */
        public JsonNode expect(int expected) {
            org.assertj.core.api.Assertions.assertThat(status).as(toString()).isEqualTo(expected);
            return body.isEmpty() ? null : json();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
