package org.sibledger.api.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * API.md's Idempotency-Key on every POST, per principal: the first successful answer is stored with a hash of the
 * request (method, path, body bytes); a retry with the same key and request gets that answer again, marked
 * {@code Idempotent-Replayed: true}, and the same key with another request is 409 {@code idempotency-key-reused}.
 * Refusals are not stored, so a request refused for the bond's state may be retried once the state allows it.
 * Runs after Spring Security, so only authenticated principals reach it.
 */
@Component
public class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_KEY_LENGTH = 200;

    private final JdbcTemplate jdbc;

    public IdempotencyFilter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication principal = SecurityContextHolder.getContext().getAuthentication();
        String key = request.getHeader(HEADER);
        if (principal == null || !principal.isAuthenticated()) {
            chain.doFilter(request, response);
            return;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            Problems.write(response, HttpStatus.BAD_REQUEST, "invalid-idempotency-key",
                    "The Idempotency-Key header must be 1 to " + MAX_KEY_LENGTH + " characters");
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        String hash = hash(request.getMethod(), request.getRequestURI(), body);
        List<Stored> earlier;
        try {
            earlier = jdbc.query("""
                            SELECT request_hash, status, content_type, location, body FROM idempotency_record
                            WHERE principal = ? AND idem_key = ?""",
                    (rs, i) -> new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBytes(5)),
                    principal.getName(), key);
        } catch (org.springframework.dao.DataAccessException e) {
            if (!org.sibledger.api.command.Transience.isTransient(e)) {
                throw e;
            }
            Problems.writeStoreUnavailable(response);
            return;
        }
        if (!earlier.isEmpty()) {
            Stored first = earlier.get(0);
            if (!first.requestHash().equals(hash)) {
                Problems.write(response, HttpStatus.CONFLICT, "idempotency-key-reused", "Idempotency-Key '" + key
                        + "' was used for another request; a retry must repeat the same request, a new request needs a new key");
                return;
            }
            response.setStatus(first.status());
            response.setHeader("Idempotent-Replayed", "true");
            if (first.contentType() != null) {
                response.setContentType(first.contentType());
            }
            if (first.location() != null) {
                response.setHeader(HttpHeaders.LOCATION, first.location());
            }
            response.getOutputStream().write(first.body());
            return;
        }
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        chain.doFilter(new CachedBodyRequest(request, body), captured);
        int status = captured.getStatus();
        if (status >= 200 && status < 300) {
            try {
                jdbc.update("""
                                INSERT INTO idempotency_record (principal, idem_key, method, path, request_hash, status,
                                    content_type, location, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                        principal.getName(), key, request.getMethod(), request.getRequestURI(), hash, status,
                        captured.getContentType(), captured.getHeader(HttpHeaders.LOCATION), captured.getContentAsByteArray());
            } catch (org.springframework.dao.DataAccessException e) {
                if (!org.sibledger.api.command.Transience.isTransient(e)) {
                    throw e;
                }
                // the command is stored; its answer is still true. A retry with this key runs the command again,
                // and the bond, which keeps each actor's keys itself, answers it without recording it twice.
                org.slf4j.LoggerFactory.getLogger(IdempotencyFilter.class).warn(
                        "answer to {} {} (key {}) not kept for replay: {}", request.getMethod(), request.getRequestURI(),
                        key, e.getMessage());
            }
        }
        captured.copyBodyToResponse();
    }

    private static String hash(String method, String path, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Stored(String requestHash, int status, String contentType, String location, byte[] body) {
    }

    /** The request with its body already read, so the controller reads the same bytes that were hashed. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
