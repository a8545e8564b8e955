package org.sibledger.api.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files in deploy/ cannot be run here (no Docker engine, no cluster), so this reads each one and checks what can
 * be checked without running it: images, ports, probes and health-check paths against what the application serves,
 * every environment variable against the names the application reads, every metric of the dashboard against the
 * names it exposes, and the local scripts against the standalone entry point.
 */
class DeployFilesTest {

    /** Tests run in ledger-api/; the deploy files are relative to the repository root. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DEPLOY = ROOT.resolve("deploy");
    private static final Path EXTERNAL_YML = ROOT.resolve("ledger-api/src/main/resources/application-external.yml");
    private static final Path PREFLIGHT = ROOT.resolve(
            "ledger-api/src/main/java/org/sibledger/api/embedded/ExternalPreflight.java");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final int APP_PORT = 8080;
    /** The actuator health paths the application serves (management.endpoint.health.probes.enabled: true). */
    private static final Set<String> HEALTH_PATHS = Set.of(
            "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");

    /**
     * What /actuator/prometheus exposes that the dashboard may use: the business meters of
     * org.sibledger.api.metrics.BusinessMetrics (gauges sib.measurements, sib.measurements.submitted, sib.payouts,
     * sib.payouts.amount, sib.cap.headroom, sib.processor.lag with base unit "events"), the timers
     * sib.command.latency (org.sibledger.api.command.LedgerCommands) and sib.kafka.publish.lag with quantiles 0.5
     * and 0.99 (org.sibledger.api.kafka.LedgerEventPublisher), as Micrometer's Prometheus registry names them (the
     * names BusinessMetricsTest reads from a real scrape), and Micrometer's JvmMemoryMetrics (OperationsTest).
     */
    static final Set<String> EXPOSED_METRICS = Set.of(
            "sib_measurements",
            "sib_measurements_submitted",
            "sib_payouts",
            "sib_payouts_amount",
            "sib_cap_headroom",
            "sib_processor_lag_events",
            "sib_processor_dead_letters",
            "sib_processor_retrying",
            "sib_processor_stalled_seconds",
            "sib_command_latency_seconds_count",
            "sib_command_latency_seconds_sum",
            "sib_command_latency_seconds_max",
            "sib_kafka_publish_lag_seconds",
            "sib_kafka_publish_lag_seconds_count",
            "sib_kafka_publish_lag_seconds_sum",
            "sib_kafka_publish_lag_seconds_max",
            "jvm_memory_used_bytes",
            "jvm_memory_committed_bytes",
            "jvm_memory_max_bytes");

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileBuildsWithMavenAndRunsTheJarOnAJreAsNonRoot() throws IOException {
        List<String[]> instructions = dockerInstructions(DEPLOY.resolve("docker/Dockerfile"));
        List<String> froms = arguments(instructions, "FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).matches("maven:3\\.9-eclipse-temurin-17\\s+(?i:AS)\\s+build");
        assertThat(froms.get(1)).isEqualTo("eclipse-temurin:17-jre");

        int runStage = indexOf(instructions, "FROM", 1);
        List<String[]> build = instructions.subList(0, runStage);
        List<String[]> run = instructions.subList(runStage, instructions.size());

        // the build stage copies every module of the reactor and packages it
        for (String module : modules()) {
            assertThat(arguments(build, "COPY")).as("module " + module)
                    .anyMatch(copy -> copy.startsWith(module + "/pom.xml "))
                    .anyMatch(copy -> copy.startsWith(module + "/src "));
        }
        assertThat(arguments(build, "COPY")).anyMatch(copy -> copy.startsWith("pom.xml "));
        assertThat(arguments(build, "RUN")).anyMatch(cmd -> cmd.contains("mvn -B -ntp -DskipTests package"));

        assertThat(arguments(run, "COPY")).anyMatch(copy -> copy.startsWith("--from=build ")
                && copy.contains("ledger-api/target/ledger-api.jar") && copy.endsWith("/app/ledger-api.jar"));
        assertThat(arguments(run, "EXPOSE")).containsExactly(String.valueOf(APP_PORT));
        assertThat(arguments(run, "ENV")).anyMatch(env -> env.matches("SPRING_PROFILES_ACTIVE[= ]external"));
        List<String> users = arguments(run, "USER");
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).doesNotStartWith("root").doesNotStartWith("0");

        List<String> healthchecks = arguments(run, "HEALTHCHECK");
        assertThat(healthchecks).hasSize(1);
        assertThat(healthchecks.get(0)).contains(" CMD ");
        assertThat(localPaths(healthchecks.get(0), APP_PORT)).containsExactly("/actuator/health/liveness")
                .allMatch(HEALTH_PATHS::contains);
        // whatever the health check calls is installed in the run stage
        assertThat(healthchecks.get(0)).contains("curl");
        assertThat(arguments(run, "RUN")).anyMatch(cmd -> cmd.contains("install") && cmd.contains("curl"));

        List<String> entrypoints = arguments(run, "ENTRYPOINT");
        assertThat(entrypoints).hasSize(1);
        List<String> entrypoint = List.of(JSON.readValue(entrypoints.get(0), String[].class));
        assertThat(entrypoint).containsExactly("java", "-XX:MaxRAMPercentage=75", "-jar", "/app/ledger-api.jar");
    }

    @Test
    void dockerBuildContextLeavesOutBuildOutputAndData() throws IOException {
        // BuildKit reads <Dockerfile>.dockerignore next to the Dockerfile for `-f deploy/docker/Dockerfile .`
        List<String> ignored = Files.readAllLines(DEPLOY.resolve("docker/Dockerfile.dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(ignored).contains("**/target", "data", ".git");
        assertThat(ignored).noneMatch(pattern -> pattern.endsWith("/src") || pattern.equals("**/*.java")
                || pattern.equals("**/pom.xml"));
    }

    // ---------------------------------------------------------------- compose

    @Test
    void composeRunsPostgres17AndAKraftBroker() throws IOException {
        JsonNode services = YAML.readTree(DEPLOY.resolve("compose/compose.yaml").toFile()).get("services");

        JsonNode postgres = services.get("postgres");
        assertThat(postgres.path("image").asText()).isEqualTo("postgres:17");
        Map<String, String> pgEnv = environment(postgres);
        assertThat(pgEnv).containsKeys("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD");
        assertThat(postgres.at("/healthcheck/test").toString()).contains("pg_isready");
        assertThat(postgres.path("volumes").toString()).contains("/var/lib/postgresql/data");

        JsonNode kafka = services.get("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        Map<String, String> kafkaEnv = environment(kafka);
        assertThat(kafkaEnv).containsKeys("KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES", "KAFKA_LISTENERS",
                "KAFKA_ADVERTISED_LISTENERS", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_CONTROLLER_QUORUM_VOTERS",
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR");
        assertThat(Set.of(kafkaEnv.get("KAFKA_PROCESS_ROLES").split(","))).containsExactlyInAnyOrder("broker", "controller");
        assertThat(kafkaEnv.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).startsWith(kafkaEnv.get("KAFKA_NODE_ID") + "@");
        assertThat(kafkaEnv.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(kafkaEnv.get("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR")).isEqualTo("1");
        assertThat(kafkaEnv.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo("1");
        // every listener has a security protocol, the controller's included
        Set<String> protocolMapped = new HashSet<>();
        for (String entry : kafkaEnv.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
            protocolMapped.add(entry.substring(0, entry.indexOf(':')));
        }
        assertThat(protocolMapped).containsAll(listenerNames(kafkaEnv.get("KAFKA_LISTENERS")))
                .contains(kafkaEnv.get("KAFKA_CONTROLLER_LISTENER_NAMES"));
        if (kafkaEnv.containsKey("CLUSTER_ID")) {
            Uuid.fromString(kafkaEnv.get("CLUSTER_ID")); // what kafka-storage format accepts
        }
        assertThat(kafka.at("/healthcheck/test").toString()).contains("9092");
    }

    @Test
    void composeRunsTwoLedgerNodesWithEverySettingTheExternalProfileRequires() throws IOException {
        JsonNode services = YAML.readTree(DEPLOY.resolve("compose/compose.yaml").toFile()).get("services");
        Set<String> required = requiredVariables();
        Set<String> read = variablesTheApplicationReads();
        Map<String, String> pgEnv = environment(services.get("postgres"));
        Map<String, String> kafkaEnv = environment(services.get("kafka"));

        List<String> ledgers = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("ledger")) {
                ledgers.add(name);
            }
        });
        assertThat(ledgers).containsExactlyInAnyOrder("ledger-1", "ledger-2");

        Set<String> hostPorts = new HashSet<>();
        for (String name : ledgers) {
            JsonNode ledger = services.get(name);
            JsonNode build = ledger.get("build");
            assertThat(build).as(name + " build").isNotNull();
            Path context = DEPLOY.resolve("compose").resolve(build.path("context").asText()).normalize();
            assertThat(context).as(name + " build context").isEqualTo(ROOT);
            assertThat(context.resolve(build.path("dockerfile").asText()).normalize())
                    .isEqualTo(DEPLOY.resolve("docker/Dockerfile"));

            Map<String, String> env = environment(ledger);
            assertThat(env).as(name).containsEntry("SPRING_PROFILES_ACTIVE", "external");
            assertThat(env.keySet()).as(name + " sets what ExternalPreflight requires").containsAll(required);
            assertThat(read).as(name + " sets only variables the application reads").containsAll(env.keySet());
            assertThat(env).as(name + ": one broker").containsEntry("SIB_KAFKA_REPLICATION_FACTOR", "1");
            assertThat(env.get("SIB_DB_URL")).isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
            assertThat(env.get("SIB_DB_USER")).isEqualTo(pgEnv.get("POSTGRES_USER"));
            assertThat(env.get("SIB_DB_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
            assertThat(env.get("SIB_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
            assertThat(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS")).contains("://kafka:9092");

            List<String[]> ports = ports(ledger);
            assertThat(ports).as(name + " ports").hasSize(1);
            assertThat(ports.get(0)[1]).isEqualTo(String.valueOf(APP_PORT));
            assertThat(hostPorts.add(ports.get(0)[0])).as(name + " host port " + ports.get(0)[0] + " is its own").isTrue();

            assertThat(ledger.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
            assertThat(ledger.at("/depends_on/kafka/condition").asText()).isEqualTo("service_healthy");
            assertThat(localPaths(ledger.at("/healthcheck/test").toString(), APP_PORT)).isNotEmpty()
                    .allMatch(HEALTH_PATHS::contains);
        }
        // no two services publish the same host port
        Set<String> allHostPorts = new HashSet<>();
        services.fields().forEachRemaining(service -> {
            for (String[] port : ports(service.getValue())) {
                assertThat(allHostPorts.add(port[0])).as("host port " + port[0]).isTrue();
            }
        });
    }

    /**
     * /actuator/prometheus answers only the scrape credential (or an admin): compose's Prometheus scrapes every ledger
     * node there with the user and the password the nodes are given, the password from a file holding the same value.
     */
    @Test
    void composePrometheusScrapesEveryLedgerNodeWithTheScrapeCredential() throws IOException {
        JsonNode compose = YAML.readTree(DEPLOY.resolve("compose/compose.yaml").toFile());
        JsonNode services = compose.get("services");
        Set<String> read = variablesTheApplicationReads();
        assertThat(read).contains("SIB_METRICS_SCRAPE_USER", "SIB_METRICS_SCRAPE_PASSWORD");

        JsonNode prometheus = services.get("prometheus");
        assertThat(prometheus).as("a prometheus service").isNotNull();
        assertThat(prometheus.path("image").asText()).startsWith("prom/prometheus:v");
        // the configuration file is deploy/prometheus/prometheus.yml, mounted where --config.file points
        String configFile = prometheus.path("command").toString().replaceAll(".*--config\\.file=([^\"]+)\".*", "$1");
        Path mounted = null;
        for (JsonNode volume : prometheus.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts.length >= 2 && parts[1].equals(configFile)) {
                mounted = DEPLOY.resolve("compose").resolve(parts[0]).normalize();
            }
        }
        assertThat(mounted).as("the file mounted at " + configFile).isEqualTo(DEPLOY.resolve("prometheus/prometheus.yml"));
        JsonNode config = YAML.readTree(mounted.toFile());
        JsonNode jobs = config.path("scrape_configs");
        List<JsonNode> ledgerJobs = new ArrayList<>();
        jobs.forEach(job -> {
            if (job.path("metrics_path").asText().equals("/actuator/prometheus")) {
                ledgerJobs.add(job);
            }
        });
        assertThat(ledgerJobs).as("jobs scraping /actuator/prometheus").hasSize(1);
        JsonNode job = ledgerJobs.get(0);

        // every ledger node is a target on its container port, and nothing else is
        Set<String> targets = new TreeSet<>();
        job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
        Set<String> ledgers = new TreeSet<>();
        services.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("ledger")) {
                ledgers.add(name + ":" + APP_PORT);
            }
        });
        assertThat(targets).isEqualTo(ledgers);

        // with the credential each node is given
        JsonNode auth = job.path("basic_auth");
        assertThat(auth.isMissingNode()).as("basic_auth of the scrape").isFalse();
        String passwordFile = auth.path("password_file").asText();
        assertThat(passwordFile).as("the password comes from a file, not prometheus.yml").isNotBlank();
        assertThat(auth.has("password")).isFalse();
        String passwordSource = null;
        for (JsonNode config2 : prometheus.path("configs")) {
            if (config2.path("target").asText().equals(passwordFile)) {
                passwordSource = config2.path("source").asText();
            }
        }
        assertThat(passwordSource).as("a compose config mounted at " + passwordFile).isNotNull();
        String password = compose.at("/configs/" + passwordSource + "/content").asText();
        assertThat(password).contains("SIB_METRICS_SCRAPE_PASSWORD");
        for (String ledger : ledgers) {
            Map<String, String> env = environment(services.get(ledger.substring(0, ledger.indexOf(':'))));
            assertThat(env.get("SIB_METRICS_SCRAPE_USER")).as(ledger).isEqualTo(auth.path("username").asText());
            assertThat(env.get("SIB_METRICS_SCRAPE_PASSWORD")).as(ledger).isEqualTo(password);
        }
    }

    // ---------------------------------------------------------------- Keycloak

    /**
     * The realm compose's Keycloak imports (deploy/keycloak/sib-realm.json) holds every demo party of the embedded
     * default (SecurityConfig's demo users) as a user with its role and a party attribute, which the pages' client
     * puts in its tokens under the claims the ledger nodes are told to read, with the audience they require.
     */
    @Test
    void keycloakRealmHasEveryDemoPartyWithItsRoleAndPartyClaimAndTheLedgersAudience() throws Exception {
        JsonNode realm = JSON.readTree(DEPLOY.resolve("keycloak/sib-realm.json").toFile());
        JsonNode services = YAML.readTree(DEPLOY.resolve("compose/compose.yaml").toFile()).get("services");
        Map<String, String> ledgerEnv = environment(services.get("ledger-1"));
        String partyClaim = ledgerEnv.get("SIB_JWT_PARTY_CLAIM");
        String rolesClaim = ledgerEnv.get("SIB_JWT_ROLES_CLAIM");
        String audience = composeDefault(ledgerEnv.get("SIB_OIDC_AUDIENCE"));
        assertThat(partyClaim).isEqualTo("party_id");
        assertThat(rolesClaim).isEqualTo("roles");
        assertThat(audience).isEqualTo("sib-ledger");
        assertThat(Files.readString(EXTERNAL_YML)).contains("${SIB_OIDC_AUDIENCE:" + audience + "}");
        assertThat(realm.path("enabled").asBoolean()).isTrue();

        // every demo party, and no one else, with its role and its party id
        Map<String, String> demo = demoUsers();
        assertThat(demo).hasSize(9).containsKeys("arranger", "investor", "investor2", "payer", "payer2", "reviewer",
                "evaluator", "provider", "admin");
        Set<String> realmRoles = new TreeSet<>();
        realm.at("/roles/realm").forEach(role -> realmRoles.add(role.path("name").asText()));
        Map<String, String> users = new TreeMap<>();
        for (JsonNode user : realm.path("users")) {
            String name = user.path("username").asText();
            assertThat(user.path("enabled").asBoolean()).as(name).isTrue();
            assertThat(user.at("/attributes/" + partyClaim).toString()).as(name + "'s party").isEqualTo("[\"" + name + "\"]");
            List<String> roles = new ArrayList<>();
            user.path("realmRoles").forEach(r -> roles.add(r.asText()));
            assertThat(roles).as(name + "'s roles").hasSize(1);
            assertThat(realmRoles).as("the realm defines " + roles).contains(roles.get(0));
            assertThat(user.path("credentials")).as(name + "'s password").anyMatch(c -> c.path("type").asText()
                    .equals("password") && !c.path("temporary").asBoolean() && !c.path("value").asText().isEmpty());
            users.put(name, roles.get(0));
        }
        assertThat(users).isEqualTo(demo);
        // Keycloak 24+ drops a user attribute that its user profile does not declare
        String profileText = realm.at("/components/org.keycloak.userprofile.UserProfileProvider/0/config/"
                + "kc.user.profile.config/0").asText();
        JsonNode profile = JSON.readTree(profileText);
        List<String> declared = new ArrayList<>();
        profile.path("attributes").forEach(a -> declared.add(a.path("name").asText()));
        assertThat(declared).as("the user profile keeps the party attribute").contains("username", partyClaim);
        profile.path("attributes").forEach(a -> {
            if (a.path("name").asText().equals(partyClaim)) {
                assertThat(a.at("/permissions/edit").toString()).as("only an admin sets a party").isEqualTo("[\"admin\"]");
            }
        });

        // the pages' client, as compose gives it to the ledger nodes, and its token contents
        String clientId = composeDefault(ledgerEnv.get("SIB_OIDC_CLIENT_ID"));
        JsonNode client = null;
        for (JsonNode candidate : realm.path("clients")) {
            if (candidate.path("clientId").asText().equals(clientId)) {
                client = candidate;
            }
        }
        assertThat(client).as("client " + clientId).isNotNull();
        assertThat(client.path("enabled").asBoolean()).isTrue();
        assertThat(client.path("standardFlowEnabled").asBoolean()).isTrue();
        if (!client.path("publicClient").asBoolean()) {
            assertThat(client.path("secret").asText()).isEqualTo(composeDefault(ledgerEnv.get("SIB_OIDC_CLIENT_SECRET")));
        }
        List<String> redirects = new ArrayList<>();
        client.path("redirectUris").forEach(u -> redirects.add(u.asText()));
        assertThat(redirects).contains("http://localhost:" + APP_PORT + "/login/oauth2/code/sib");
        for (String node : List.of("ledger-1", "ledger-2")) {
            String hostPort = ports(services.get(node)).get(0)[0];
            assertThat(redirects).as(node).contains("http://localhost:" + hostPort + "/login/oauth2/code/sib");
        }
        Map<String, JsonNode> mappers = new TreeMap<>();
        client.path("protocolMappers").forEach(m -> mappers.put(m.path("protocolMapper").asText(), m.path("config")));
        JsonNode party = mappers.get("oidc-usermodel-attribute-mapper");
        assertThat(party).as("a party_id mapper").isNotNull();
        assertThat(party.path("user.attribute").asText()).isEqualTo(partyClaim);
        assertThat(party.path("claim.name").asText()).isEqualTo(partyClaim);
        JsonNode roles = mappers.get("oidc-usermodel-realm-role-mapper");
        assertThat(roles).as("a realm roles mapper").isNotNull();
        assertThat(roles.path("claim.name").asText()).isEqualTo(rolesClaim);
        assertThat(roles.path("multivalued").asText()).isEqualTo("true");
        for (JsonNode claim : List.of(party, roles)) {
            // the API reads the access token, the pages the ID token
            assertThat(claim.path("access.token.claim").asText()).isEqualTo("true");
            assertThat(claim.path("id.token.claim").asText()).isEqualTo("true");
        }
        JsonNode aud = mappers.get("oidc-audience-mapper");
        assertThat(aud).as("an audience mapper").isNotNull();
        assertThat(aud.path("included.custom.audience").asText()).isEqualTo(audience);
        assertThat(aud.path("access.token.claim").asText()).isEqualTo("true");
    }

    /**
     * Compose runs that Keycloak with the realm imported, under the host name and port that make up the issuer the
     * ledger nodes are given by default, and starts the nodes once it is ready.
     */
    @Test
    void composeRunsKeycloakWithTheRealmAsTheLedgersDefaultIssuer() throws Exception {
        JsonNode services = YAML.readTree(DEPLOY.resolve("compose/compose.yaml").toFile()).get("services");
        JsonNode keycloak = services.get("keycloak");
        assertThat(keycloak).as("a keycloak service").isNotNull();
        assertThat(keycloak.path("image").asText()).matches("quay\\.io/keycloak/keycloak:\\d+\\.\\d+\\.\\d+");
        assertThat(keycloak.path("command").toString()).contains("--import-realm");
        Path mounted = null;
        for (JsonNode volume : keycloak.path("volumes")) {
            String[] parts = volume.asText().split(":");
            if (parts.length >= 2 && parts[1].startsWith("/opt/keycloak/data/import/")) {
                mounted = DEPLOY.resolve("compose").resolve(parts[0]).normalize();
            }
        }
        assertThat(mounted).as("the realm mounted in /opt/keycloak/data/import").isEqualTo(
                DEPLOY.resolve("keycloak/sib-realm.json"));
        String realm = JSON.readTree(mounted.toFile()).path("realm").asText();

        Map<String, String> env = environment(keycloak);
        String port = env.get("KC_HTTP_PORT");
        assertThat(env.get("KC_HOSTNAME")).isEqualTo("http://keycloak:" + port);
        assertThat(ports(keycloak)).anyMatch(p -> p[1].equals(port));
        assertThat(env).containsKey("KC_HEALTH_ENABLED");
        assertThat(keycloak.at("/healthcheck/test").toString()).contains("/health/ready");
        for (String node : List.of("ledger-1", "ledger-2")) {
            JsonNode ledger = services.get(node);
            assertThat(composeDefault(environment(ledger).get("SIB_OIDC_ISSUER_URI"))).as(node)
                    .isEqualTo("http://keycloak:" + port + "/realms/" + realm);
            assertThat(ledger.at("/depends_on/keycloak/condition").asText()).as(node).isEqualTo("service_healthy");
        }
    }

    /** The default of a compose value "${NAME:-default}" or "${NAME-default}", or the value itself. */
    private static String composeDefault(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+:?-([^}]*)}").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    /** The embedded default's demo users (SecurityConfig.DEMO_USERS): name to role. */
    private static Map<String, String> demoUsers() throws Exception {
        Class<?> config = Class.forName("org.sibledger.api.security.SecurityConfig");
        java.lang.reflect.Field field = config.getDeclaredField("DEMO_USERS");
        field.setAccessible(true);
        Map<String, String> users = new TreeMap<>();
        for (Object user : (List<?>) field.get(null)) {
            Map<String, Object> components = new LinkedHashMap<>();
            for (java.lang.reflect.RecordComponent component : user.getClass().getRecordComponents()) {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                components.put(component.getName(), accessor.invoke(user));
            }
            users.put((String) components.get("name"), String.valueOf(components.get("role")));
        }
        return users;
    }

    // ---------------------------------------------------------------- Kubernetes

    /**
     * The Prometheus Operator scrapes the ledger's pods on /actuator/prometheus, port http (8080), with the scrape
     * credential read from the same Secret keys the Deployment gives the ledger; a plain Prometheus's job
     * (deploy/prometheus/prometheus-k8s.yml) keeps the same pods and sends a credential too.
     */
    @Test
    void kubernetesPrometheusScrapesWithTheCredentialTheLedgerIsGiven() throws IOException {
        JsonNode deployment = single(DEPLOY.resolve("k8s/deployment.yaml"), "Deployment");
        JsonNode monitor = single(DEPLOY.resolve("k8s/podmonitor.yaml"), "PodMonitor");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertSelects(monitor.at("/spec/selector/matchLabels"), deployment.at("/spec/template/metadata/labels"));
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(monitor.at("/spec/podMetricsEndpoints").size()).isEqualTo(1);
        JsonNode endpoint = monitor.at("/spec/podMetricsEndpoints/0");
        assertThat(endpoint.path("path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(resolvePort(container, endpoint.path("port"))).isEqualTo(APP_PORT);

        Map<String, JsonNode> secrets = new LinkedHashMap<>();
        for (JsonNode doc : documents(DEPLOY.resolve("k8s/secret.example.yaml"))) {
            secrets.put(doc.at("/metadata/name").asText(), doc);
        }
        Map<String, String> fromSecret = new LinkedHashMap<>();
        for (JsonNode env : container.path("env")) {
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                fromSecret.put(env.path("name").asText(), ref.path("name").asText() + "/" + ref.path("key").asText());
            }
        }
        for (String[] pair : List.of(new String[] {"username", "SIB_METRICS_SCRAPE_USER"},
                new String[] {"password", "SIB_METRICS_SCRAPE_PASSWORD"})) {
            JsonNode ref = endpoint.at("/basicAuth/" + pair[0]);
            assertThat(ref.isMissingNode()).as("basicAuth " + pair[0]).isFalse();
            String secretKey = ref.path("name").asText() + "/" + ref.path("key").asText();
            assertThat(fromSecret.get(pair[1])).as(pair[1] + " of the ledger").isEqualTo(secretKey);
            assertThat(secrets).containsKey(ref.path("name").asText());
            assertThat(secretKeys(secrets.get(ref.path("name").asText()))).contains(ref.path("key").asText());
        }

        JsonNode plain = YAML.readTree(DEPLOY.resolve("prometheus/prometheus-k8s.yml").toFile());
        JsonNode job = plain.at("/scrape_configs/0");
        assertThat(job.path("metrics_path").asText()).isEqualTo("/actuator/prometheus");
        assertThat(job.at("/basic_auth/password_file").asText()).endsWith("/SIB_METRICS_SCRAPE_PASSWORD");
        assertThat(job.at("/basic_auth/username").asText())
                .isEqualTo(secrets.get("sib-ledger-secrets").at("/stringData/SIB_METRICS_SCRAPE_USER").asText());
        String keep = job.path("relabel_configs").findValuesAsText("regex").get(0);
        JsonNode labels = deployment.at("/spec/template/metadata/labels");
        assertThat(labels.path("app.kubernetes.io/name").asText() + ";" + labels.path("app.kubernetes.io/component").asText())
                .matches(keep);
    }

    @Test
    void kubernetesDeploymentProbesResourcesAndSecurity() throws IOException {
        JsonNode deployment = single(DEPLOY.resolve("k8s/deployment.yaml"), "Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(30);
        assertSelects(deployment.at("/spec/selector/matchLabels"), deployment.at("/spec/template/metadata/labels"));

        // no annotation-driven scrape: it would come without the scrape credential and get 401 (podmonitor.yaml instead)
        JsonNode annotations = deployment.at("/spec/template/metadata/annotations");
        assertThat(annotations.path("prometheus.io/scrape").isMissingNode()).as("prometheus.io/scrape annotation").isTrue();

        JsonNode containers = pod.path("containers");
        assertThat(containers.size()).isEqualTo(1);
        JsonNode container = containers.get(0);
        assertThat(container.path("image").asText()).startsWith("ghcr.io/sibledger/ledger-api:");
        assertThat(container.path("ports").findValuesAsText("containerPort")).containsExactly(String.valueOf(APP_PORT));

        assertThat(probe(container, "livenessProbe")).isEqualTo("/actuator/health/liveness:" + APP_PORT);
        assertThat(probe(container, "readinessProbe")).isEqualTo("/actuator/health/readiness:" + APP_PORT);
        String startup = probe(container, "startupProbe");
        assertThat(HEALTH_PATHS).contains(startup.substring(0, startup.indexOf(':')));
        assertThat(startup).endsWith(":" + APP_PORT);

        JsonNode resources = container.path("resources");
        assertThat(resources.at("/requests/cpu").isMissingNode()).as("cpu request").isFalse();
        assertThat(resources.at("/requests/memory").isMissingNode()).as("memory request").isFalse();
        assertThat(resources.at("/limits/memory").isMissingNode()).as("memory limit").isFalse();

        boolean nonRoot = pod.at("/securityContext/runAsNonRoot").asBoolean(false)
                || container.at("/securityContext/runAsNonRoot").asBoolean(false);
        assertThat(nonRoot).as("runAsNonRoot").isTrue();
        if (container.at("/securityContext/readOnlyRootFilesystem").asBoolean(false)) {
            assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).as("a writable /tmp").contains("/tmp");
        }
    }

    @Test
    void kubernetesSettingsUseOnlyNamesTheApplicationReadsAndReferencesResolve() throws IOException {
        Set<String> read = variablesTheApplicationReads();
        JsonNode deployment = single(DEPLOY.resolve("k8s/deployment.yaml"), "Deployment");
        JsonNode configMap = single(DEPLOY.resolve("k8s/configmap.yaml"), "ConfigMap");
        Map<String, JsonNode> secrets = new LinkedHashMap<>();
        for (JsonNode doc : documents(DEPLOY.resolve("k8s/secret.example.yaml"))) {
            assertThat(doc.path("kind").asText()).isEqualTo("Secret");
            secrets.put(doc.at("/metadata/name").asText(), doc);
        }
        JsonNode container = deployment.at("/spec/template/spec/containers/0");

        Set<String> used = new TreeSet<>();
        configMap.path("data").fieldNames().forEachRemaining(used::add);
        Set<String> envSecrets = new HashSet<>();
        for (JsonNode env : container.path("env")) {
            used.add(env.path("name").asText());
            JsonNode ref = env.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                String secret = ref.path("name").asText();
                assertThat(secrets).as("Secret " + secret).containsKey(secret);
                assertThat(secretKeys(secrets.get(secret))).as("key of " + secret).contains(ref.path("key").asText());
                envSecrets.add(secret);
            }
            JsonNode configRef = env.at("/valueFrom/configMapKeyRef");
            if (!configRef.isMissingNode()) {
                assertThat(configRef.path("name").asText()).isEqualTo(configMap.at("/metadata/name").asText());
            }
        }
        boolean configMapLoaded = false;
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                assertThat(from.at("/configMapRef/name").asText()).isEqualTo(configMap.at("/metadata/name").asText());
                configMapLoaded = true;
            }
            if (from.has("secretRef")) {
                envSecrets.add(from.at("/secretRef/name").asText());
            }
        }
        assertThat(configMapLoaded).as("envFrom the ConfigMap").isTrue();
        for (String secret : envSecrets) {
            assertThat(secrets).containsKey(secret);
            used.addAll(secretKeys(secrets.get(secret)));
        }
        assertThat(read).as("every setting is one the application reads").containsAll(used);
        assertThat(used).contains("SIB_DB_PASSWORD", "SPRING_PROFILES_ACTIVE");
        for (String password : List.of("SIB_DB_PASSWORD", "SIB_KAFKA_SASL_JAAS_CONFIG", "SIB_KAFKA_TRUSTSTORE_PASSWORD",
                "SIB_OIDC_CLIENT_SECRET")) {
            assertThat(configMap.path("data").has(password)).as(password + " is in a Secret, not the ConfigMap").isFalse();
        }
        assertThat(configMap.at("/data/SPRING_PROFILES_ACTIVE").asText()).isEqualTo("external");
        assertThat(used).containsAll(requiredVariables());

        // secrets mounted as files exist in the example, and the trust store lies under its mount
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
            if (volume.has("secret")) {
                String secret = volume.at("/secret/secretName").asText();
                assertThat(secrets).as("Secret " + secret).containsKey(secret);
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (mount.path("name").asText().equals(volume.path("name").asText())) {
                        mounts.put(mount.path("mountPath").asText(), secret);
                    }
                }
            }
        }
        String truststore = configMap.at("/data/SIB_KAFKA_TRUSTSTORE_LOCATION").asText(null);
        if (truststore != null) {
            assertThat(mounts.keySet()).anyMatch(mount -> truststore.startsWith(mount + "/")
                    && secretKeys(secrets.get(mounts.get(mount))).contains(truststore.substring(mount.length() + 1)));
        }
    }

    @Test
    void kubernetesServiceSendsPort80ToTheApplication() throws IOException {
        JsonNode service = single(DEPLOY.resolve("k8s/service.yaml"), "Service");
        JsonNode deployment = single(DEPLOY.resolve("k8s/deployment.yaml"), "Deployment");
        assertThat(service.at("/spec/type").asText("ClusterIP")).isEqualTo("ClusterIP");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(service.at("/spec/ports").size()).isEqualTo(1);
        JsonNode port = service.at("/spec/ports/0");
        assertThat(port.path("port").asInt()).isEqualTo(80);
        assertThat(resolvePort(container, port.path("targetPort"))).isEqualTo(APP_PORT);
        assertSelects(service.at("/spec/selector"), deployment.at("/spec/template/metadata/labels"));
    }

    // ---------------------------------------------------------------- Grafana

    @Test
    void promqlMetricNamesAreFound() {
        assertThat(metricNames("sum by (status) (rate(foo_total{a=\"b\", c=~\"$x\"}[$__rate_interval])) / "
                + "max(bar_seconds_count) without (instance) > 0.5 and on (x) baz"))
                .containsExactlyInAnyOrder("foo_total", "bar_seconds_count", "baz");
        assertThat(metricNames("histogram_quantile(0.99, sum by (le) (rate(q_bucket[5m])))")).containsExactly("q_bucket");
    }

    @Test
    void grafanaDashboardUsesOnlyMetricsTheApplicationExposes() throws IOException {
        JsonNode dashboard = JSON.readTree(DEPLOY.resolve("grafana/sib-ledger.json").toFile());
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dashboard.path("uid").asText()).isNotBlank();

        Map<String, JsonNode> variables = new LinkedHashMap<>();
        for (JsonNode variable : dashboard.at("/templating/list")) {
            variables.put(variable.path("name").asText(), variable);
        }
        assertThat(variables.get("DS_PROMETHEUS").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("DS_PROMETHEUS").path("query").asText()).isEqualTo("prometheus");
        JsonNode bond = variables.get("bond");
        String bondQuery = bond.path("query").isTextual() ? bond.path("query").asText() : bond.at("/query/query").asText();
        Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*bond\\s*\\)")
                .matcher(bondQuery);
        assertThat(labelValues.matches()).as(bondQuery).isTrue();
        assertThat(EXPOSED_METRICS).contains(labelValues.group(1));

        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        Set<String> used = new TreeSet<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id " + panel.path("id")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            String title = panel.path("title").asText();
            assertThat(panel.at("/datasource/uid").asText()).as(title).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets").size()).as(title + " targets").isPositive();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Set<String> names = metricNames(expr);
                assertThat(names).as(title + ": " + expr).isNotEmpty();
                assertThat(EXPOSED_METRICS).as(title + ": " + expr).containsAll(names);
                used.addAll(names);
                if (names.stream().anyMatch(name -> name.startsWith("sib_"))) {
                    assertThat(expr).as(title).contains("application=\"sib-ledger\"");
                }
            }
        }
        // each business meter is on the dashboard, and the JVM heap
        for (String family : List.of("sib_measurements", "sib_measurements_submitted", "sib_payouts",
                "sib_payouts_amount", "sib_cap_headroom", "sib_processor_lag_events", "sib_command_latency_seconds",
                "sib_kafka_publish_lag_seconds", "jvm_memory_used_bytes")) {
            assertThat(used).as(family).containsAnyOf(family, family + "_count", family + "_sum", family + "_max");
        }
    }

    @Test
    void alertRulesUseOnlyMetricsTheApplicationExposesAndCoverDeadLetters() throws IOException {
        JsonNode rules = YAML.readTree(DEPLOY.resolve("prometheus/sib-ledger-alerts.yaml").toFile());
        Map<String, String> alerts = new LinkedHashMap<>();
        for (JsonNode group : rules.path("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                String expr = rule.path("expr").asText();
                assertThat(alert).as(rule.toString()).isNotBlank();
                assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("critical", "warning");
                assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
                Set<String> names = metricNames(expr);
                assertThat(names).as(alert + ": " + expr).isNotEmpty();
                assertThat(EXPOSED_METRICS).as(alert + ": " + expr).containsAll(names);
                assertThat(expr).as(alert).contains("application=\"sib-ledger\"");
                alerts.put(alert, expr);
            }
        }
        // a read model's dead letters (a bond's view standing still) page someone, per read model
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr)
                .contains("sib_processor_dead_letters").contains("read_model").contains("> 0"));
        // and so does an event retried for long because the database keeps failing on it (its segment stands still)
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr)
                .contains("sib_processor_retrying").contains("read_model").contains("> 0"));
    }

    // ---------------------------------------------------------------- standalone servers

    @Test
    void localScriptsStartTheStandaloneServers() throws Exception {
        for (String server : List.of("postgres", "kafka")) {
            Path script = DEPLOY.resolve("local/start-" + server + ".sh");
            assertThat(script).exists();
            assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
            List<String> lines = Files.readAllLines(script);
            assertThat(lines.get(0)).isIn("#!/usr/bin/env bash", "#!/bin/bash");
            String text = String.join("\n", lines);
            assertThat(text).contains("set -euo pipefail", "ledger-api/target/ledger-api.jar",
                    "-Dloader.main=org.sibledger.api.embedded.Standalone",
                    "org.springframework.boot.loader.launch.PropertiesLauncher " + server + " \"$@\"",
                    "mvn -B -ntp -DskipTests package -pl ledger-api -am");
        }
        assertThat(DEPLOY.resolve("local/README.md")).exists();

        Class<?> standalone = Class.forName("org.sibledger.api.embedded.Standalone");
        Method main = standalone.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers())).isTrue();
        assertThat(main.getReturnType()).isEqualTo(void.class);
    }

    // ---------------------------------------------------------------- what the application reads

    /**
     * The environment variables the application reads: the SIB_* names ExternalPreflight maps onto Spring settings
     * and the ${SIB_*} placeholders of application-external.yml, plus SPRING_PROFILES_ACTIVE (Spring Boot) and
     * JAVA_TOOL_OPTIONS (the JVM).
     */
    static Set<String> variablesTheApplicationReads() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher java = Pattern.compile("Map\\.entry\\(\"(SIB_[A-Z0-9_]+)\"").matcher(Files.readString(PREFLIGHT));
        while (java.find()) {
            names.add(java.group(1));
        }
        Matcher yml = Pattern.compile("\\$\\{(SIB_[A-Z0-9_]+)[:}]").matcher(Files.readString(EXTERNAL_YML));
        while (yml.find()) {
            names.add(yml.group(1));
        }
        assertThat(names).as("names read from " + PREFLIGHT + " and " + EXTERNAL_YML)
                .contains("SIB_DB_URL", "SIB_KAFKA_BOOTSTRAP_SERVERS", "SIB_KAFKA_REPLICATION_FACTOR");
        names.add("SPRING_PROFILES_ACTIVE");
        names.add("JAVA_TOOL_OPTIONS");
        return names;
    }

    /** The variables without which ExternalPreflight refuses to start (its required(...) calls). */
    static Set<String> requiredVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher required = Pattern.compile("required\\(env,\\s*\"[^\"]+\",\\s*\"(SIB_[A-Z0-9_]+)\"")
                .matcher(Files.readString(PREFLIGHT));
        while (required.find()) {
            names.add(required.group(1));
        }
        assertThat(names).contains("SIB_DB_URL", "SIB_DB_USER", "SIB_KAFKA_BOOTSTRAP_SERVERS");
        return names;
    }

    // ---------------------------------------------------------------- helpers

    /** Instructions of a Dockerfile as {keyword, arguments}, continuation lines joined, comments dropped. */
    private static List<String[]> dockerInstructions(Path dockerfile) throws IOException {
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(dockerfile)) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty() && current.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String instruction = current.toString().strip();
            current.setLength(0);
            if (instruction.isEmpty()) {
                continue;
            }
            String[] parts = instruction.split("\\s+", 2);
            instructions.add(new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1].replaceAll("\\s+", " ") : ""});
        }
        return instructions;
    }

    private static List<String> arguments(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
    }

    private static int indexOf(List<String[]> instructions, String keyword, int occurrence) {
        int seen = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i)[0].equals(keyword) && ++seen == occurrence) {
                return i;
            }
        }
        throw new AssertionError("no " + keyword + " number " + occurrence);
    }

    private static List<String> modules() throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            modules.add(module.group(1).strip());
        }
        assertThat(modules).contains("ledger-api");
        return modules;
    }

    /** Paths of http://localhost:PORT/... or http://127.0.0.1:PORT/... URLs in a command. */
    private static List<String> localPaths(String command, int port) {
        List<String> paths = new ArrayList<>();
        Matcher url = Pattern.compile("https?://(?:localhost|127\\.0\\.0\\.1):" + port + "(/[A-Za-z0-9/_-]*)").matcher(command);
        while (url.find()) {
            paths.add(url.group(1));
        }
        return paths;
    }

    /** A compose service's environment, as a map or as a list of NAME=value. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isArray()) {
            for (JsonNode entry : node) {
                String text = entry.asText();
                int eq = text.indexOf('=');
                env.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            }
        } else {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    /** A compose service's published ports as {host port, container port}. */
    private static List<String[]> ports(JsonNode service) {
        List<String[]> ports = new ArrayList<>();
        for (JsonNode port : service.path("ports")) {
            if (port.isObject()) {
                ports.add(new String[] {port.path("published").asText(), port.path("target").asText()});
                continue;
            }
            String[] parts = port.asText().split("/")[0].split(":");
            assertThat(parts.length).as("port " + port.asText() + " names its host port").isGreaterThanOrEqualTo(2);
            ports.add(new String[] {parts[parts.length - 2], parts[parts.length - 1]});
        }
        return ports;
    }

    private static Set<String> listenerNames(String listeners) {
        Set<String> names = new LinkedHashSet<>();
        for (String listener : listeners.split(",")) {
            names.add(listener.substring(0, listener.indexOf(':')));
        }
        return names;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static JsonNode single(Path file, String kind) throws IOException {
        List<JsonNode> docs = documents(file).stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(docs).as(kind + " in " + file).hasSize(1);
        return docs.get(0);
    }

    private static Set<String> secretKeys(JsonNode secret) {
        Set<String> keys = new TreeSet<>();
        secret.path("stringData").fieldNames().forEachRemaining(keys::add);
        secret.path("data").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** "path:port" of an HTTP probe, a named port resolved against the container's ports. */
    private static String probe(JsonNode container, String probe) {
        JsonNode http = container.path(probe).path("httpGet");
        assertThat(http.isMissingNode()).as(probe + " is an HTTP probe").isFalse();
        return http.path("path").asText() + ":" + resolvePort(container, http.path("port"));
    }

    private static int resolvePort(JsonNode container, JsonNode port) {
        if (port.isInt() || port.asText().matches("\\d+")) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new AssertionError("port '" + port.asText() + "' is not a port of the container");
    }

    /** Every label of the selector is on the pods, with the same value. */
    private static void assertSelects(JsonNode selector, JsonNode podLabels) {
        assertThat(selector.size()).as("selector " + selector).isPositive();
        selector.fields().forEachRemaining(label -> assertThat(podLabels.get(label.getKey()))
                .as("pod label " + label.getKey()).isEqualTo(label.getValue()));
    }

    private static void collectPanels(JsonNode panels, List<JsonNode> into) {
        for (JsonNode panel : panels) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }

    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

    /** The metric names in a PromQL expression: identifiers that are not functions, keywords, labels or strings. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("\\{[^}]*\\}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*+(?!\\s*\\()").matcher(s);
        while (identifier.find()) {
            if (!PROMQL_WORDS.contains(identifier.group().toLowerCase())) {
                names.add(identifier.group());
            }
        }
        return names;
    }
}
