package org.sibledger.api.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves HTTP clients off their kept-alive connections before the web server's graceful shutdown. Tomcat's graceful
 * shutdown (server.shutdown=graceful) stops accepting connections and lets requests in progress finish, but it closes
 * a kept-alive connection that is idle at that moment, and a client that sends its next request on it just then sees
 * the connection reset, with its request unanswered. So, from the moment the context starts closing (SIGTERM), every
 * response says {@code Connection: close}, and the graceful shutdown waits, at most {@code sib.shutdown.keep-alive-drain}
 * (3 s) and no longer than until no request has come for a second, for the clients to have had an answer on each
 * connection they use: their next request opens a new connection, which the server refuses cleanly once it stops
 * listening, or which it still answers before then.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ShutdownDrain extends OncePerRequestFilter implements ApplicationListener<ContextClosedEvent>, SmartLifecycle {

    private static final long QUIET_NANOS = Duration.ofSeconds(1).toNanos();

    private final ApplicationContext context;
    private final long drainNanos;
    private volatile boolean closing;
    private volatile long closingSince;
    private volatile long lastRequest = System.nanoTime();
    private volatile boolean running;

    public ShutdownDrain(ApplicationContext context, @Value("${sib.shutdown.keep-alive-drain:3s}") Duration drain) {
        this.context = context;
        this.drainNanos = drain.toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        lastRequest = System.nanoTime();
        if (closing) {
            response.setHeader("Connection", "close");
        }
        chain.doFilter(request, response);
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == context && !closing) {
            closingSince = System.nanoTime();
            closing = true;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Runs before the web server's graceful shutdown: waits while clients still come on kept-alive connections. */
    @Override
    public void stop() {
        long since = closing ? closingSince : System.nanoTime();
        closing = true;
        while (System.nanoTime() - since < drainNanos && System.nanoTime() - lastRequest < QUIET_NANOS) {
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        running = false;
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
