package org.sibledger.projections.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL database with the ledger's schema, for one test class: one embedded PostgreSQL per test JVM, a
 * database of its own per class, migrated by Flyway from the ledger's own migrations (the read models' here, the
 * event store's and the rest in ledger-api, read from its source folder), exactly as the application runs them.
 */
public final class ReadModelDatabase {

    /** The ledger-api migrations, read where they are in the source tree (this module cannot depend on ledger-api). */
    private static final Path LEDGER_MIGRATIONS = Path.of("..", "ledger-api", "src", "main", "resources", "db", "migration");
    /** Tables that are not a read model's: the event store's, Flyway's and the ledger's own bookkeeping. */
    private static final List<String> NOT_READ_MODELS = List.of("domainevententry", "snapshotevententry", "tokenentry",
            "sagaentry", "associationvalueentry", "deadletterentry", "flyway_schema_history", "idempotency_record",
            "ledger_checkpoint", "ledger_checkpoint_pending", "read_model_action");

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final DataSourceTransactionManager transactions;

    private ReadModelDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new DataSourceTransactionManager(dataSource);
    }

    /** A new database, migrated to the ledger's current schema. */
    public static ReadModelDatabase create() {
        if (!Files.isDirectory(LEDGER_MIGRATIONS)) {
            throw new IllegalStateException("the ledger's migrations are not at " + LEDGER_MIGRATIONS.toAbsolutePath());
        }
        EmbeddedPostgres server = server();
        String name = "read_models_" + DATABASES.incrementAndGet();
        new JdbcTemplate(server.getPostgresDatabase()).execute("CREATE DATABASE " + name);
        DriverManagerDataSource dataSource = new DriverManagerDataSource(server.getJdbcUrl("postgres", name),
                "postgres", "postgres");
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration", "filesystem:" + LEDGER_MIGRATIONS.toAbsolutePath())
                .load().migrate();
        return new ReadModelDatabase(dataSource);
    }

    private static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is ending
                }
            }));
        }
        return postgres;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public DataSourceTransactionManager transactions() {
        return transactions;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Every read model's row, as text, table by table in a fixed order: what "the same rows" compares. */
    public Map<String, List<String>> rows() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String table : jdbc.queryForList("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name""",
                String.class)) {
            if (!NOT_READ_MODELS.contains(table)) {
                tables.put(table, jdbc.queryForList("SELECT t::text FROM " + table + " t ORDER BY 1", String.class));
            }
        }
        return tables;
    }

    /** Empties every read model's table, so that each test starts from nothing. */
    public void emptyReadModels() {
        List<String> tables = rows().keySet().stream().toList();
        jdbc.execute("TRUNCATE " + String.join(", ", tables));
    }
}
