package org.sibledger.api.support;

import org.sibledger.api.LedgerApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.ArrayList;
import java.util.List;

/**
 * One ledger-api application on the shared test infrastructure, started exactly as {@code java -jar} starts it
 * (through {@link LedgerApplication#start}), on a random HTTP port and the test class's own database.
 */
public final class LedgerNode implements AutoCloseable {

    private final LedgerApplication.RunningLedger ledger;
    private final String jdbcUrl;

    private LedgerNode(LedgerApplication.RunningLedger ledger, String jdbcUrl) {
        this.ledger = ledger;
        this.jdbcUrl = jdbcUrl;
    }

    public static LedgerNode start(String jdbcUrl, String... extraArgs) {
        TestInfrastructure infra = TestInfrastructure.get();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--sib.embedded.enabled=false",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + infra.username(),
                "--spring.datasource.password=" + infra.password(),
                "--spring.kafka.bootstrap-servers=" + infra.bootstrapServers(),
                "--sib.kafka.partitions=3",
                // no balancer stands before a test's node: closing it need not wait for the clients' quiet second
                // (GracefulShutdownTest and StoppingRefusalTest measure the drain itself)
                "--sib.shutdown.quiet=50ms",
                // the checkpoint signing key is created once and shared by the test JVM's nodes, in target/
                "--sib.checkpoints.key-file=" + java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                        "checkpoint-signing-key.pem")));
        // an argument given twice would be joined into a list by Spring: the caller's value replaces the default
        for (String extra : extraArgs) {
            String key = extra.contains("=") ? extra.substring(0, extra.indexOf('=') + 1) : extra;
            args.removeIf(arg -> arg.startsWith(key));
        }
        args.addAll(List.of(extraArgs));
        return new LedgerNode(LedgerApplication.start(args.toArray(String[]::new)), jdbcUrl);
    }

    public Api api(String user) {
        return api(user, "demo");
    }

    public Api api(String user, String password) {
        return new Api(baseUrl(), user, password);
    }

    public Api anonymous() {
        return new Api(baseUrl(), null, null);
    }

    public String baseUrl() {
        return "http://localhost:" + ((WebServerApplicationContext) ledger.context()).getWebServer().getPort();
    }

    /** The node's HTTP server (its port, and the address it listens on). */
    public org.springframework.boot.web.server.WebServer webServer() {
        return ((WebServerApplicationContext) ledger.context()).getWebServer();
    }

    /** Direct SQL on the node's database, for asserting what was (or was not) stored. */
    public JdbcTemplate sql() {
        TestInfrastructure infra = TestInfrastructure.get();
        return new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, infra.username(), infra.password()));
    }

    public <T> T bean(Class<T> type) {
        return ledger.context().getBean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return ledger.context().getBean(name, type);
    }

    @Override
    public void close() {
        ledger.close();
    }
}
