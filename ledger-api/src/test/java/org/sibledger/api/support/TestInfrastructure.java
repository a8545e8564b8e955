package org.sibledger.api.support;

import org.sibledger.api.embedded.EmbeddedKafkaServer;
import org.sibledger.api.embedded.EmbeddedPostgresServer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL and one real Kafka broker per test JVM. {@code sib.test.infra} (system property or
 * SIB_TEST_INFRA) chooses: {@code containers} (Testcontainers: PostgreSQL 17, Apache Kafka), {@code embedded}
 * (embedded PostgreSQL and an in-JVM KRaft broker), or {@code auto} (the default: containers when a Docker engine
 * answers, embedded otherwise). Each test class gets a database of its own; the broker is shared, so tests use
 * bond ids of their own. Closed by {@link InfrastructureSession} after the last test, after every context.
 */
public final class TestInfrastructure implements AutoCloseable {

    private static TestInfrastructure instance;

    private final AtomicInteger databases = new AtomicInteger();
    private final String mode;
    private final String baseJdbcUrl;
    private final String username;
    private final String password;
    private final String bootstrapServers;
    private final AutoCloseable[] closeables;

    private TestInfrastructure(String mode, String baseJdbcUrl, String username, String password,
                               String bootstrapServers, AutoCloseable... closeables) {
        this.mode = mode;
        this.baseJdbcUrl = baseJdbcUrl;
        this.username = username;
        this.password = password;
        this.bootstrapServers = bootstrapServers;
        this.closeables = closeables;
    }

    public static synchronized TestInfrastructure get() {
        if (instance == null) {
            instance = start(chosenMode());
        }
        return instance;
    }

    static synchronized void shutdown() {
        if (instance != null) {
            instance.close();
            instance = null;
        }
    }

    private static String chosenMode() {
        String mode = System.getProperty("sib.test.infra", System.getenv().getOrDefault("SIB_TEST_INFRA", "auto"));
        if (mode.equals("auto")) {
            boolean docker;
            try {
                docker = DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable e) {
                docker = false;
            }
            return docker ? "containers" : "embedded";
        }
        if (!mode.equals("embedded") && !mode.equals("containers")) {
            throw new IllegalArgumentException("sib.test.infra must be auto, embedded or containers, not " + mode);
        }
        return mode;
    }

    private static TestInfrastructure start(String mode) {
        try {
            if (mode.equals("containers")) {
                PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:17");
                KafkaContainer kafka = new KafkaContainer("apache/kafka:3.9.1");
                postgres.start();
                kafka.start();
                String url = postgres.getJdbcUrl();
                return new TestInfrastructure(mode, url.substring(0, url.lastIndexOf('/') + 1),
                        postgres.getUsername(), postgres.getPassword(), kafka.getBootstrapServers(), kafka, postgres);
            }
            Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sib-test-infra");
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), 0, false);
            EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(root.resolve("kafka"), 0);
            String url = postgres.jdbcUrl("postgres");
            return new TestInfrastructure(mode, url.substring(0, url.lastIndexOf('/') + 1),
                    postgres.username(), postgres.password(), kafka.bootstrapServers(), kafka, postgres);
        } catch (Exception e) {
            throw new IllegalStateException("test infrastructure (" + mode + ") did not start", e);
        }
    }

    /** A new, empty database; its JDBC URL. */
    public String newDatabase() {
        String name = "ledger_test_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(baseJdbcUrl + "postgres", username, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return baseJdbcUrl + name;
    }

    public String mode() {
        return mode;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("test infrastructure did not stop cleanly: " + e);
            }
        }
    }
}
