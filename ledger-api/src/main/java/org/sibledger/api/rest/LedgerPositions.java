package org.sibledger.api.rest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.projection.ReadModels;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads at a position: a client that wrote to a bond carries the {@value LedgerCommands#POSITION} its command's
 * answer gave (the bond's sequence number once its events were stored) and asks a later read of that bond for it,
 * as the query parameter {@code atLeast} or the request header of the same name as the answer's. The read then waits,
 * at most {@code sib.read-your-writes-timeout}, until the bond's read models have passed that position (the bond's
 * progress row, written with their rows), and answers with the position it shows; if they have not reached it in
 * time it answers with what they show and names them in {@value LedgerCommands#VIEWS_BEHIND}. Only the bond's stored
 * events are waited for, so a read never waits on a bond that does not exist, nor for a position beyond the bond's
 * newest event. Registered for every read of a bond, through the API and the pages.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerPositions implements WebMvcConfigurer, HandlerInterceptor {

    /** The query parameter a read names its position with. */
    public static final String AT_LEAST = "atLeast";

    private static final Pattern BOND = Pattern.compile("^/(?:api|app)/bonds/([^/]+)(?:/.*)?$");

    private final ReadModels readModels;
    private final Duration timeout;

    public LedgerPositions(ReadModels readModels, @Value("${sib.read-your-writes-timeout:3s}") Duration timeout) {
        this.readModels = readModels;
        this.timeout = timeout;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/bonds/*", "/api/bonds/*/**", "/app/bonds/*", "/app/bonds/*/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!"GET".equals(request.getMethod())) {
            return true;
        }
        String asked = request.getParameter(AT_LEAST);
        if (asked == null) {
            asked = request.getHeader(LedgerCommands.POSITION);
        }
        if (asked == null) {
            return true;
        }
        Matcher bond = BOND.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        if (!bond.matches()) {
            return true;
        }
        long position;
        try {
            position = Long.parseLong(asked.trim());
        } catch (NumberFormatException e) {
            position = -2;
        }
        if (position < -1) {
            Problems.write(response, HttpStatus.BAD_REQUEST, "invalid-position",
                    "'atLeast' (or the " + LedgerCommands.POSITION + " header) must be a position a command's answer gave:"
                            + " a whole number from 0");
            return false;
        }
        ReadModels.Arrival arrival = readModels.awaitPosition(bond.group(1), position, timeout);
        if (!arrival.behind().isEmpty()) {
            response.setHeader(LedgerCommands.VIEWS_BEHIND, String.join(", ", arrival.behind()));
        }
        response.setHeader(LedgerCommands.POSITION, String.valueOf(arrival.position()));
        return true;
    }
}
