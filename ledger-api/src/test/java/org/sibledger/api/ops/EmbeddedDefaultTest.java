package org.sibledger.api.ops;

import org.sibledger.api.support.Waits;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.api.LedgerApplication;
import org.sibledger.api.support.InfrastructureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default as {@code java -jar} runs it: its own PostgreSQL and KRaft broker, data in the data
 * directory, demo bonds with --demo, and everything still there after a restart.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): the ledger starts its own embedded
 * PostgreSQL and broker, in a data directory of its own.
 */
// after the shared PostgreSQL and broker are up: its own servers' ports are not then taken from under them
@ExtendWith(InfrastructureExtension.class)
@Execution(ExecutionMode.CONCURRENT)
class EmbeddedDefaultTest {

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dataDir;

    @Test
    void startsOnItsOwnServersLoadsDemoBondsAndKeepsThemAcrossRestarts() throws Exception {
        String[] args = {"--demo", "--server.port=0", "--sib.data-dir=" + dataDir, "--sib.embedded.durable=false"};
        long bonds;
        long events;
        try (LedgerApplication.RunningLedger ledger = LedgerApplication.start(args)) {
            assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();
            assertThat(Files.exists(dataDir.resolve("kafka/meta.properties"))).isTrue();
            bonds = awaitBondCount(ledger, 5);
            assertThat(bonds).isEqualTo(5);
            assertThat(get(ledger, "/api/bonds/tel-aviv-loneliness")).contains("\"currency\":\"ILS\"");
            JdbcTemplate sql = ledger.context().getBean(JdbcTemplate.class);
            events = sql.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
            // the demo stories ran: payouts were triggered by approved measurements
            assertThat(sql.queryForObject("SELECT count(*) FROM domainevententry WHERE payloadtype LIKE '%PayoutTriggeredEvent'",
                    Long.class)).isPositive();
        }
        try (LedgerApplication.RunningLedger ledger = LedgerApplication.start(args)) {
            assertThat(awaitBondCount(ledger, 5)).isEqualTo(5);
            assertThat(get(ledger, "/api/bonds/reboot-west")).contains("\"bondId\":\"reboot-west\"");
            // --demo again records nothing new: every demo command carries its idempotency key
            assertThat(ledger.context().getBean(JdbcTemplate.class)
                    .queryForObject("SELECT count(*) FROM domainevententry", Long.class)).isEqualTo(events);
        }
    }

    private static long awaitBondCount(LedgerApplication.RunningLedger ledger, int expected) throws Exception {
        return Waits.lastAnswer(Duration.ofSeconds(15), Duration.ofMillis(100),
                () -> new ObjectMapper().readTree(get(ledger, "/api/bonds?size=100")).get("totalItems").asLong(),
                count -> count >= expected);
    }

    private static String get(LedgerApplication.RunningLedger ledger, String path) throws Exception {
        int port = ((WebServerApplicationContext) ledger.context()).getWebServer().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:demo".getBytes()))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
