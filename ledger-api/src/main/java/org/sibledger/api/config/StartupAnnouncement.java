package org.sibledger.api.config;

import org.sibledger.api.kafka.InboundSenders;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells the person who started the ledger where its data lives and where to point a browser or a client. */
@Component
public class StartupAnnouncement implements ApplicationListener<ApplicationReadyEvent> {

    private final InboundSenders senders;

    public StartupAnnouncement(InboundSenders senders) {
        this.senders = senders;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : env.getProperty("server.port", Integer.class, 8080);
        String base = "http://localhost:" + port;
        StringBuilder text = new StringBuilder("\n\n  SIB outcomes ledger is running\n");
        String dataDirectory = env.getProperty("sib.embedded.data-directory");
        if (dataDirectory != null) {
            text.append("  data (embedded PostgreSQL and Kafka): ").append(dataDirectory).append('\n');
        }
        text.append("  PostgreSQL: ").append(env.getProperty("spring.datasource.url")).append('\n');
        text.append("  Kafka:      ").append(env.getProperty("spring.kafka.bootstrap-servers"))
                .append("  (ledger events out on sib.ledger.events.v1; measurements in on ")
                .append(senders.authenticated()
                        ? "each evaluator's own topic, " + String.join(", ", senders.evaluatorTopics())
                        + ", written to by its principals alone"
                        : "sib.measurements.v1, from a trusted network: senders are not authenticated")
                .append(", refusals on sib.measurements.v1.rejected)\n");
        text.append("  UI:         ").append(base).append("/\n");
        text.append("  API:        ").append(base).append("/api/bonds\n");
        text.append("  contracts:  ").append(base).append("/openapi.yaml and ").append(base).append("/api/schemas\n");
        text.append("  health:     ").append(base).append("/actuator/health\n");
        if (env.getProperty("sib.security.demo-users", Boolean.class, false)) {
            text.append("  demo users (password 'demo'): arranger, investor, investor2, payer, payer2, reviewer, evaluator, ")
                    .append("provider, admin. FOR LOCAL USE ONLY.\n");
        }
        System.out.println(text);
    }
}
