package org.sibledger.api;

import org.sibledger.api.embedded.InfrastructureStartup;
import org.sibledger.api.integrity.OfflineVerifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.util.Arrays;

/**
 * The outcomes ledger. Without arguments it runs on its embedded default: a real PostgreSQL and a real Kafka broker
 * started in this process, data kept in {@code ./data}. {@code --demo} loads the demo bonds. {@code verify ...} checks
 * a bond's exported events against a signed checkpoint and starts nothing (see {@link OfflineVerifier}).
 */
@SpringBootApplication(scanBasePackages = {"org.sibledger.api", "org.sibledger.projections"})
// the periodic work (ProcessorRecovery, CheckpointSigner, BusinessMetrics) is Spring's @Scheduled, on the scheduler
// Spring Boot configures (spring.task.scheduling), which stops taking runs when the context starts closing
@EnableScheduling
public class LedgerApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("verify")) {
            System.exit(OfflineVerifier.run(args, System.out, System.err));
        }
        try {
            start(args);
        } catch (RuntimeException e) {
            System.exit(1);
        }
    }

    /**
     * Starts the ledger. On SIGTERM, Spring Boot's shutdown hook closes the context (web server gracefully, then the
     * event processors) and only then stops the embedded servers, so nothing in flight loses its database or
     * broker; closing the result does the same without ending the JVM.
     */
    public static RunningLedger start(String... args) {
        String[] springArgs = Arrays.stream(args).map(a -> a.equals("--demo") ? "--sib.demo=true" : a)
                .toArray(String[]::new);
        // The ledger makes no calls to the vendor's update service, and keeps the console free of its advert.
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        System.setProperty("disable-axoniq-console-message", "true");
        InfrastructureStartup infrastructure = new InfrastructureStartup();
        SpringApplication app = new SpringApplication(LedgerApplication.class);
        app.addListeners(infrastructure);
        try {
            ConfigurableApplicationContext context = app.run(springArgs);
            return new RunningLedger(context, infrastructure);
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }
    }

    public record RunningLedger(ConfigurableApplicationContext context, InfrastructureStartup infrastructure)
            implements AutoCloseable {
        @Override
        public void close() {
            context.close();
            infrastructure.close();
        }
    }
}
