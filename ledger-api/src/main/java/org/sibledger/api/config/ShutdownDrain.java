package org.sibledger.api.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.sibledger.api.rest.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Stopping drains HTTP the way a node behind a balancer must: from the moment the context starts closing (SIGTERM),
 * when Spring Boot publishes readiness {@code REFUSING_TRAFFIC} and /actuator/health/readiness turns DOWN, requests
 * already in progress are answered as usual, and every new request (but the health probes) is refused at once with
 * 503 {@code shutting-down}, {@code Retry-After} and {@code Connection: close}, before security or any handler sees
 * it, so it records nothing, and its connection is closed after it (an answer already under way keeps its
 * connection; the next request on it is refused so). The web server's own graceful shutdown
 * ({@code server.shutdown=graceful}, bounded by {@code spring.lifecycle.timeout-per-shutdown-phase}) is held back, in
 * the lifecycle phase just before it, until no request is in progress and none has come or ended for
 * {@code sib.shutdown.quiet} (1 s), and at most {@code sib.shutdown.drain} (10 s) after the signal.
 * <p>
 * Written by hand because the framework has no such step: Spring Boot's graceful shutdown pauses Tomcat's connector
 * and closes its listening socket at once. Connections the kernel had already accepted into the socket's backlog
 * (a client connected and sent its request, Tomcat had not taken it yet) are then reset, and a request sent just
 * then on a kept-alive connection gets Tomcat's bare 503 or has its connection closed under it. A client that keeps
 * sending cannot be spared that at the moment the socket closes; one that stops sending to this node once its
 * readiness is DOWN or it answered {@code shutting-down} (what a balancer does) has stopped before the socket
 * closes, and so is never reset: it was answered, refused with a problem, or refused at connect afterwards.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ShutdownDrain extends OncePerRequestFilter
        implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ShutdownDrain.class);

    private final long quietNanos;
    private final long drainNanos;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private volatile boolean refusing;
    private volatile long refusingSince;
    private volatile boolean running;

    public ShutdownDrain(@Value("${sib.shutdown.quiet:1s}") Duration quiet,
                         @Value("${sib.shutdown.drain:10s}") Duration drain) {
        this.quietNanos = quiet.toNanos();
        this.drainNanos = drain.toNanos();
    }

    /** Health probes are answered while stopping (readiness says DOWN); they neither count as traffic nor keep it open. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/actuator/health");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        lastActivity.set(System.nanoTime());
        if (refusing) {
            refuse(request, response);
            return;
        }
        inProgress.incrementAndGet();
        try {
            chain.doFilter(request, response);
        } finally {
            inProgress.decrementAndGet();
            lastActivity.set(System.nanoTime());
            if (refusing && !response.isCommitted()) {
                response.setHeader(HttpHeaders.CONNECTION, "close");
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        refused.incrementAndGet();
        response.setHeader(HttpHeaders.CONNECTION, "close");
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (request.getRequestURI().startsWith(request.getContextPath() + "/app") && accept != null
                && accept.contains("text/html")) {
            // a page: the app's error page (templates/error.html, error.503.*) in the reader's language
            response.setHeader(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS);
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        } else {
            Problems.writeShuttingDown(response);
        }
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        // Spring Boot publishes REFUSING_TRAFFIC when the context starts closing, before any lifecycle stops
        if (event.getState() == ReadinessState.REFUSING_TRAFFIC && !refusing) {
            refusingSince = System.nanoTime();
            refusing = true;
            log.info("Readiness is DOWN: new HTTP requests are refused (503 shutting-down), those in progress answered");
        } else if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            refusing = false;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Runs just before the web server's graceful shutdown, which closes the listening socket: waits until no request
     * is in progress and none has come or ended for the quiet period (a client answered last would have sent its next
     * request by then, and been refused), at most the drain's bound after the signal.
     */
    @Override
    public void stop() {
        if (!refusing) {
            refusingSince = System.nanoTime();
            refusing = true;
        }
        long deadline = refusingSince + drainNanos;
        boolean quiet = false;
        while (System.nanoTime() - deadline < 0) {
            if (inProgress.get() == 0 && System.nanoTime() - lastActivity.get() >= quietNanos) {
                quiet = true;
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        running = false;
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - refusingSince);
        if (quiet) {
            log.info("HTTP drained {} ms after the signal ({} refused while stopping); the web server stops listening",
                    waited, refused.get());
        } else {
            log.warn("HTTP still busy {} ms after the signal ({} requests in progress, {} refused while stopping); the "
                    + "web server stops listening anyway (sib.shutdown.drain)", waited, inProgress.get(), refused.get());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
    }
}
