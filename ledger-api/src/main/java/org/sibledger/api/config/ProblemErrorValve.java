package org.sibledger.api.config;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.sibledger.api.rest.Problems;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * Tomcat refuses some requests before any servlet sees them (a malformed URI, an encoded slash, a bad header) and
 * answers those with its own HTML page. This valve answers them as the ledger answers every other bad input: an
 * RFC 9457 problem with a stable type. Written here because Tomcat's only hook for these answers is its error report
 * valve; Spring's error page is never reached.
 */
@Configuration(proxyBeanMethods = false)
public class ProblemErrorValve {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(Valve.class.getName());
            }
        });
    }

    /** Writes a problem instead of Tomcat's HTML error page, for answers Tomcat made itself. */
    public static class Valve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            HttpStatus known = HttpStatus.resolve(status);
            try {
                response.reset();
                response.setStatus(status);
                Problems.write(response.getResponse(), known != null ? known : HttpStatus.BAD_REQUEST,
                        status >= 500 ? "internal-error" : "request-rejected",
                        status >= 500 ? "The ledger could not answer this request; nothing was recorded by it."
                                : "The request was refused before reaching the ledger (" + status + ").");
            } catch (java.io.IOException | IllegalStateException e) {
                // the client went away or the answer was already under way: nothing more to say
            }
        }
    }
}
