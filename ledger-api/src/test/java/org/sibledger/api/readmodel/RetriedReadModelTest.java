package org.sibledger.api.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.Waits;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event the database keeps refusing for a reason taken as its own (here a trigger raising query_canceled, SQLSTATE
 * 57014, as a statement timeout does) is retried with its batch, never dead-lettered, and the other bonds of its
 * segment wait behind it: so it must not be silent. Once it has failed for longer than
 * {@code sib.read-models.retrying-alarm-after}, readiness (not liveness) says DEGRADED naming the read model, the bond,
 * the event and the error; the admin view and the gauge the alert rule reads show it; when the database takes it,
 * the event commits and readiness is UP again.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): its node has a database and a Kafka broker
 * of its own ({@link org.sibledger.api.support.LedgerNodeExtension}), and it asserts nothing of the shared servers.
 */
@Execution(ExecutionMode.CONCURRENT)
class RetriedReadModelTest {

    private static final String BOND = "db-refuses";

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension("--sib.read-models.retrying-alarm-after=1s");

    @Test
    void anEventTheDatabaseKeepsRefusingIsRetriedNotDeadLetteredAndReadinessNamesItUntilItCommits() {
        node.sql().execute("""
                CREATE FUNCTION test_database_refuses() RETURNS trigger AS $$
                BEGIN
                  IF NEW.bond_id = 'db-refuses' THEN
                    RAISE EXCEPTION 'canceling statement due to statement timeout (test)' USING ERRCODE = '57014';
                  END IF;
                  RETURN NEW;
                END $$ LANGUAGE plpgsql""");
        node.sql().execute("""
                CREATE TRIGGER test_database_refuses BEFORE INSERT ON bond_view
                FOR EACH ROW EXECUTE FUNCTION test_database_refuses()""");
        node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)).expect(201);

        Api.Response readiness = Waits.lastAnswer(Duration.ofSeconds(60), Duration.ofMillis(200),
                () -> node.api("admin").get("/actuator/health/readiness"),
                r -> r.json().at("/components/readModels/details/retrying").size() > 0);
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("DEGRADED");
        assertThat(readiness.json().at("/components/readModels/status").asText()).isEqualTo("DEGRADED");
        JsonNode retried = readiness.json().at("/components/readModels/details/retrying/0");
        assertThat(retried.get("readModel").asText()).isEqualTo("bonds");
        assertThat(retried.get("bondId").asText()).isEqualTo(BOND);
        assertThat(retried.get("sequence").asLong()).isZero();
        assertThat(retried.get("eventType").asText()).isEqualTo("BondStructuredEvent");
        assertThat(retried.get("cause").asText()).contains("statement timeout (test)");
        assertThat(retried.get("failures").asInt()).isPositive();
        assertThat(readiness.json().at("/components/readModels/details/deadLetters").asInt()).isZero();
        assertThat(node.api("admin").get("/actuator/health/liveness").json().get("status").asText()).isEqualTo("UP");
        // never dead-lettered (the database, not the event); the admin view and the gauge name it
        assertThat(node.api("admin").get("/api/admin/dead-letters").json().get("items")).isEmpty();
        JsonNode status = node.api("admin").get("/api/admin/projections").json();
        assertThat(status.at("/bonds/retrying/0/bondId").asText()).as(status.toString()).isEqualTo(BOND);
        assertThat(status.at("/bonds/deadLetters").asInt()).isZero();
        assertThat(node.api("admin").get("/actuator/prometheus").body())
                .containsPattern("sib_processor_retrying\\{[^}]*read_model=\"bonds\"[^}]*} 1\\.0");
        assertThat(node.api("arranger").get("/api/bonds/" + BOND).status()).isEqualTo(404);

        // the database takes it again: the event commits, the bond is served, and nothing is named any more
        node.sql().execute("DROP TRIGGER test_database_refuses ON bond_view");
        Api.Response up = Waits.lastAnswer(Duration.ofSeconds(120), Duration.ofMillis(200),
                () -> node.api("admin").get("/actuator/health/readiness"),
                r -> r.json().get("status").asText().equals("UP"));
        assertThat(up.json().get("status").asText()).as(up.body()).isEqualTo("UP");
        assertThat(node.api("arranger").get("/api/bonds/" + BOND).status()).isEqualTo(200);
        assertThat(node.api("admin").get("/api/admin/projections").json().at("/bonds/retrying")).isEmpty();
        assertThat(node.api("admin").get("/actuator/prometheus").body())
                .containsPattern("sib_processor_retrying\\{[^}]*read_model=\"bonds\"[^}]*} 0\\.0");
    }
}
