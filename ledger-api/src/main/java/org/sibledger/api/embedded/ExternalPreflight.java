package org.sibledger.api.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * External mode's start-up check: the PostgreSQL and Kafka settings are present, and both servers answer within
 * a few seconds with those settings. Anything else stops the start with what is wrong and what to set.
 */
final class ExternalPreflight {


    private ExternalPreflight() {
    }

    /** Environment variable -> the Spring setting it fills; only variables that are set are applied. */
    static final Map<String, String> VARIABLES = Map.ofEntries(
            Map.entry("SIB_DB_URL", "spring.datasource.url"),
            Map.entry("SIB_DB_USER", "spring.datasource.username"),
            Map.entry("SIB_DB_PASSWORD", "spring.datasource.password"),
            Map.entry("SIB_KAFKA_BOOTSTRAP_SERVERS", "spring.kafka.bootstrap-servers"),
            Map.entry("SIB_KAFKA_SECURITY_PROTOCOL", "spring.kafka.security.protocol"),
            Map.entry("SIB_KAFKA_SASL_MECHANISM", "spring.kafka.properties.sasl.mechanism"),
            Map.entry("SIB_KAFKA_SASL_JAAS_CONFIG", "spring.kafka.properties.sasl.jaas.config"),
            Map.entry("SIB_KAFKA_TRUSTSTORE_LOCATION", "spring.kafka.ssl.trust-store-location"),
            Map.entry("SIB_KAFKA_TRUSTSTORE_PASSWORD", "spring.kafka.ssl.trust-store-password"),
            Map.entry("SIB_OIDC_ISSUER_URI", "spring.security.oauth2.resourceserver.jwt.issuer-uri"),
            Map.entry("SIB_OIDC_AUDIENCE", "spring.security.oauth2.resourceserver.jwt.audiences"),
            Map.entry("SIB_OIDC_CLIENT_ID", "sib.security.oidc.client-id"),
            Map.entry("SIB_OIDC_CLIENT_SECRET", "sib.security.oidc.client-secret"));

    static void check(ConfigurableEnvironment env) {
        Map<String, Object> mapped = new HashMap<>();
        VARIABLES.forEach((variable, property) -> {
            String value = env.getProperty(variable);
            if (value != null && !value.isBlank()) {
                mapped.put(property, property.endsWith("trust-store-location") && !value.contains(":")
                        ? "file:" + value : value);
            }
        });
        env.getPropertySources().addFirst(new MapPropertySource("sib-external", mapped));

        List<String> missing = new ArrayList<>();
        if (env.getProperty("sib.security.jwt.enabled", Boolean.class, true)) {
            required(env, "spring.security.oauth2.resourceserver.jwt.issuer-uri", "SIB_OIDC_ISSUER_URI", missing);
        }
        String url = required(env, "spring.datasource.url", "SIB_DB_URL", missing);
        String user = required(env, "spring.datasource.username", "SIB_DB_USER", missing);
        String password = env.getProperty("spring.datasource.password", "");
        String bootstrap = required(env, "spring.kafka.bootstrap-servers", "SIB_KAFKA_BOOTSTRAP_SERVERS", missing);
        if (!missing.isEmpty()) {
            throw new InfrastructureUnavailableException("External mode is missing settings: " + String.join(", ", missing),
                    "Set the environment variables " + String.join(", ", missing)
                            + " (see README, 'External PostgreSQL and Kafka'), or run without the 'external' profile "
                            + "to use the embedded servers.", null);
        }
        int timeoutSeconds = env.getProperty("sib.external.preflight-timeout-seconds", Integer.class, 10);
        checkPostgres(url, user, password, timeoutSeconds);
        checkKafka(env, bootstrap, timeoutSeconds);
    }

    private static String required(ConfigurableEnvironment env, String property, String variable, List<String> missing) {
        String value;
        try {
            value = env.getProperty(property);
        } catch (IllegalArgumentException unresolvedPlaceholder) {
            value = null;
        }
        if (value == null || value.isBlank()) {
            missing.add(variable);
        }
        return value;
    }

    private static void checkPostgres(String url, String user, String password, int timeoutSeconds) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
        props.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
        try (Connection connection = DriverManager.getConnection(url, props)) {
            connection.isValid(timeoutSeconds);
        } catch (Exception e) {
            throw new InfrastructureUnavailableException("PostgreSQL at " + url + " cannot be used as '" + user
                    + "': " + e.getMessage(),
                    "Check SIB_DB_URL, SIB_DB_USER and SIB_DB_PASSWORD, and that the server accepts connections "
                            + "from this host.", e);
        }
    }

    private static void checkKafka(ConfigurableEnvironment env, String bootstrap, int timeoutSeconds) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutSeconds * 1000);
        putIfSet(env, config, "spring.kafka.security.protocol", "security.protocol");
        putIfSet(env, config, "spring.kafka.properties.sasl.mechanism", "sasl.mechanism");
        putIfSet(env, config, "spring.kafka.properties.sasl.jaas.config", "sasl.jaas.config");
        putIfSet(env, config, "spring.kafka.ssl.trust-store-location", "ssl.truststore.location");
        putIfSet(env, config, "spring.kafka.ssl.trust-store-password", "ssl.truststore.password");
        int brokers;
        try (Admin admin = Admin.create(config)) {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutSeconds * 1000));
            cluster.clusterId().get(timeoutSeconds + 2, TimeUnit.SECONDS);
            brokers = cluster.nodes().get(timeoutSeconds + 2, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            throw new InfrastructureUnavailableException("Kafka at " + bootstrap + " does not answer: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                    "Check SIB_KAFKA_BOOTSTRAP_SERVERS and, for a secured cluster, SIB_KAFKA_SECURITY_PROTOCOL, "
                            + "SIB_KAFKA_SASL_MECHANISM, SIB_KAFKA_SASL_JAAS_CONFIG and the trust store settings.", e);
        }
        int replicationFactor = env.getProperty("sib.kafka.replication-factor", Integer.class, 1);
        if (replicationFactor > brokers) {
            // the ledger's topics could not be created, nor an event published with acks=all: fail now, not later
            throw new InfrastructureUnavailableException("Kafka at " + bootstrap + " has " + brokers + " broker"
                    + (brokers == 1 ? "" : "s") + ", fewer than the replication factor " + replicationFactor
                    + " the ledger's topics are to have: they cannot be created and no event could be published",
                    "Set SIB_KAFKA_REPLICATION_FACTOR to at most " + brokers + " (1 for a single broker), or start "
                            + "the ledger once the cluster's brokers are all up.", null);
        }
    }

    private static void putIfSet(ConfigurableEnvironment env, Map<String, Object> config, String property, String key) {
        String value = env.getProperty(property);
        if (value != null && !value.isBlank()) {
            config.put(key, value.startsWith("file:") ? value.substring(5) : value);
        }
    }
}
