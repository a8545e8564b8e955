package org.sibledger.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.sibledger.contracts.common.CommandRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * What goes wrong on a page is answered by a page: in the app's own layout and the reader's language, with the status
 * it is (403, 404, 500, ...), never the problem JSON of the API nor the servlet container's page. Only requests for
 * {@code /app/} pages that accept HTML are answered here; everything else falls through to the API's RFC 9457
 * answers ({@code rest.Problems}). Errors raised before a controller (a page of another role, refused by security)
 * reach Spring Boot's {@code /error}, which renders the same {@code error} template.
 */
@Component
public class PageErrors implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

    private final RefusalWords refusals;

    public PageErrors(RefusalWords refusals) {
        this.refusals = refusals;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception e) {
        String accept = request.getHeader("Accept");
        if (!request.getRequestURI().startsWith(request.getContextPath() + "/app/") || accept == null
                || !accept.contains("text/html")) {
            return null;
        }
        HttpStatus status = statusOf(e);
        if (status.is5xxServerError()) {
            log.error("page {} failed", request.getRequestURI(), e);
        }
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("path", request.getRequestURI());
        page.addObject("currentPath", request.getRequestURI());
        // a refusal's own words say what is wrong (a conflict, an invalid value); a bond that cannot be seen is only
        // told apart from one that does not exist by the page's own words, as the API tells them apart by nothing
        if (e instanceof CommandRefusedException refused && status != HttpStatus.NOT_FOUND && status != HttpStatus.FORBIDDEN) {
            page.addObject("detail", refusals.of(refused));
        }
        return page;
    }

    static HttpStatus statusOf(Exception e) {
        if (e instanceof CommandRefusedException refused) {
            return switch (refused.kind()) {
                case INVALID -> HttpStatus.UNPROCESSABLE_ENTITY;
                case FORBIDDEN -> HttpStatus.FORBIDDEN;
                case NOT_FOUND -> HttpStatus.NOT_FOUND;
                case CONFLICT -> HttpStatus.CONFLICT;
            };
        }
        if (e instanceof AccessDeniedException) {
            return HttpStatus.FORBIDDEN;
        }
        if (e instanceof ErrorResponse known) {
            HttpStatus status = HttpStatus.resolve(known.getStatusCode().value());
            return status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status;
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }
}
