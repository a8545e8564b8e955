package org.sibledger.api.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.LedgerApplication;
import org.sibledger.api.embedded.InfrastructureUnavailableException;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.TestInfrastructure;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The external profile starts nothing embedded and refuses to start, clearly, when its servers are not there. */
@ExtendWith(InfrastructureExtension.class)
class ExternalModeTest {

    @Test
    void missingSettingsAreNamed() {
        assertThatThrownBy(() -> LedgerApplication.start("--spring.profiles.active=external", "--server.port=0",
                "--sib.external.preflight-timeout-seconds=3"))
                .isInstanceOf(InfrastructureUnavailableException.class)
                .hasMessageContaining("SIB_DB_URL")
                .hasMessageContaining("SIB_KAFKA_BOOTSTRAP_SERVERS")
                .hasMessageContaining("SIB_OIDC_ISSUER_URI");
    }

    @Test
    void anUnreachableDatabaseStopsTheStart() throws Exception {
        int closedPort = closedPort();
        assertThatThrownBy(() -> LedgerApplication.start("--spring.profiles.active=external", "--server.port=0",
                "--sib.external.preflight-timeout-seconds=3",
                "--SIB_DB_URL=jdbc:postgresql://localhost:" + closedPort + "/ledger", "--SIB_DB_USER=ledger",
                "--SIB_KAFKA_BOOTSTRAP_SERVERS=" + TestInfrastructure.get().bootstrapServers(),
                "--SIB_OIDC_ISSUER_URI=https://issuer.invalid"))
                .isInstanceOf(InfrastructureUnavailableException.class)
                .hasMessageContaining("PostgreSQL at jdbc:postgresql://localhost:" + closedPort + "/ledger")
                .satisfies(e -> assertThat(((InfrastructureUnavailableException) e).action()).contains("SIB_DB_URL"));
    }

    @Test
    void wrongDatabaseCredentialsStopTheStart() {
        TestInfrastructure infra = TestInfrastructure.get();
        String url = infra.newDatabase();
        assertThatThrownBy(() -> LedgerApplication.start("--spring.profiles.active=external", "--server.port=0",
                "--sib.external.preflight-timeout-seconds=3",
                "--SIB_DB_URL=" + url, "--SIB_DB_USER=nobody", "--SIB_DB_PASSWORD=wrong",
                "--SIB_KAFKA_BOOTSTRAP_SERVERS=" + infra.bootstrapServers(),
                "--SIB_OIDC_ISSUER_URI=https://issuer.invalid"))
                .isInstanceOf(InfrastructureUnavailableException.class)
                .hasMessageContaining("cannot be used as 'nobody'");
    }

    @Test
    void anUnreachableBrokerStopsTheStart() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        int closedPort = closedPort();
        assertThatThrownBy(() -> LedgerApplication.start("--spring.profiles.active=external", "--server.port=0",
                "--sib.external.preflight-timeout-seconds=3",
                "--SIB_DB_URL=" + infra.newDatabase(), "--SIB_DB_USER=" + infra.username(),
                "--SIB_DB_PASSWORD=" + infra.password(),
                "--SIB_KAFKA_BOOTSTRAP_SERVERS=localhost:" + closedPort,
                "--SIB_OIDC_ISSUER_URI=https://issuer.invalid"))
                .isInstanceOf(InfrastructureUnavailableException.class)
                .hasMessageContaining("Kafka at localhost:" + closedPort + " does not answer");
    }

    @Test
    void aReplicationFactorLargerThanTheClusterStopsTheStart() {
        TestInfrastructure infra = TestInfrastructure.get();
        // the external profile's default replication factor is 3; the tests' cluster has one broker
        assertThatThrownBy(() -> LedgerApplication.start("--spring.profiles.active=external", "--server.port=0",
                "--sib.external.preflight-timeout-seconds=3",
                "--SIB_DB_URL=" + infra.newDatabase(), "--SIB_DB_USER=" + infra.username(),
                "--SIB_DB_PASSWORD=" + infra.password(),
                "--SIB_KAFKA_BOOTSTRAP_SERVERS=" + infra.bootstrapServers(),
                "--SIB_OIDC_ISSUER_URI=https://issuer.invalid"))
                .isInstanceOf(InfrastructureUnavailableException.class)
                .hasMessageContaining("has 1 broker, fewer than the replication factor 3")
                .satisfies(e -> assertThat(((InfrastructureUnavailableException) e).action())
                        .contains("SIB_KAFKA_REPLICATION_FACTOR to at most 1"));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
