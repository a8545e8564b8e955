package org.sibledger.api.embedded;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Before the application context exists: on the embedded default, starts PostgreSQL and Kafka and points the
 * standard Spring settings at them; in external mode, checks that the configured servers answer, so that a
 * misconfiguration stops the start with one clear message instead of a stack of connection errors.
 * The servers are stopped by {@link #close()}: on SIGTERM as a Spring Boot shutdown handler, which runs after the
 * application context has closed (and before logging stops), or by whoever closes the application.
 */
public final class InfrastructureStartup implements ApplicationListener<ApplicationEnvironmentPreparedEvent>,
        AutoCloseable {

    private final Runnable shutdownHandler = this::stopServers;
    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaServer kafka;
    private Path dataDirectory;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        if (env.getProperty("sib.embedded.enabled", Boolean.class, true)) {
            startEmbedded(env);
        } else if (env.getProperty("sib.external.preflight", Boolean.class, true)) {
            ExternalPreflight.check(env);
        }
    }

    private void startEmbedded(ConfigurableEnvironment env) {
        if (postgres != null) {
            return; // the event fires again for a restart of the same application object
        }
        dataDirectory = Path.of(env.getProperty("sib.data-dir", "./data")).toAbsolutePath().normalize();
        try {
            postgres = EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"),
                    env.getProperty("sib.embedded.postgres-port", Integer.class, 0),
                    env.getProperty("sib.embedded.durable", Boolean.class, true));
            kafka = EmbeddedKafkaServer.start(dataDirectory.resolve("kafka"),
                    env.getProperty("sib.embedded.kafka-port", Integer.class, 0));
        } catch (Exception e) {
            close();
            throw new InfrastructureUnavailableException("The embedded PostgreSQL or Kafka could not start in "
                    + dataDirectory + ": " + e.getMessage(),
                    "Check that the directory is writable and not used by another running ledger, "
                            + "or choose another with --sib.data-dir=...", e);
        }
        SpringApplication.getShutdownHandlers().add(shutdownHandler);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.datasource.url", postgres.jdbcUrl("postgres"));
        props.put("spring.datasource.username", postgres.username());
        props.put("spring.datasource.password", postgres.password());
        props.put("spring.kafka.bootstrap-servers", kafka.bootstrapServers());
        props.put("sib.embedded.data-directory", dataDirectory.toString());
        env.getPropertySources().addFirst(new MapPropertySource("sib-embedded", props));
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the servers when the application is closed in-process (tests), and forgets the shutdown handler. */
    @Override
    public void close() {
        if (postgres != null) {
            SpringApplication.getShutdownHandlers().remove(shutdownHandler);
        }
        stopServers();
    }

    private synchronized void stopServers() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            postgres = null;
        }
    }
}
