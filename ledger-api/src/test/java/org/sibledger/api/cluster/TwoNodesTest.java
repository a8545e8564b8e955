package org.sibledger.api.cluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.ReadModelTables;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.TestInfrastructure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ledger nodes on one PostgreSQL and one Kafka: both take commands for the same bond at the same time (the
 * loser of each race on the bond's stream is retried and decides again), the read models' segments are claimed
 * through the token store, and when one node stops the other takes its segments over. At the end no payout was
 * triggered twice and every read model equals a rebuild from the event store.
 */
@ExtendWith(InfrastructureExtension.class)
class TwoNodesTest {

    private static final String B = "/api/bonds/two-nodes";
    private static final int CLAIMS = 24;

    private static String database;
    private static LedgerNode nodeA;
    private static LedgerNode nodeB;

    @BeforeAll
    static void start() {
        database = TestInfrastructure.get().newDatabase();
        nodeA = LedgerNode.start(database, "--sib.node-id=node-a");
        nodeB = LedgerNode.start(database, "--sib.node-id=node-b");
    }

    @AfterAll
    static void stop() {
        nodeB.close();
        nodeA.close();
    }

    @Test
    void bothNodesTakeCommandsAndOneTakesOverWhenTheOtherStops() throws Exception {
        ok(nodeA.api("arranger").post("/api/bonds", Terms.rateCard("two-nodes")), 201);
        ok(nodeB.api("investor").post(B + "/commitments", """
                {"tranche": "senior", "amount": "100000.00"}"""), 201);
        ok(nodeA.api("arranger").post(B + "/opening", ""), 200);
        ok(nodeB.api("provider").post(B + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 40, "startDate": "2019-01-01"}"""), 201);
        StringBuilder participants = new StringBuilder("[");
        for (int i = 0; i < CLAIMS; i++) {
            participants.append(i == 0 ? "" : ",").append("{\"participantRef\": \"p-").append(i).append("\"}");
        }
        ok(nodeA.api("provider").post(B + "/cohorts/c1/participants", participants.append("]").toString()), 201);

        // claims for one bond, sent at once through both nodes: every one is stored
        List<Callable<Api.Response>> submissions = new ArrayList<>();
        for (int i = 0; i < CLAIMS; i++) {
            LedgerNode node = i % 2 == 0 ? nodeA : nodeB;
            String body = """
                    {"type": "OUTCOME_CLAIMS", "evidenceRef": "e-%d", "claims": [{"participantRef": "p-%d",
                     "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "ps-%d"}]}""".formatted(i, i, i);
            submissions.add(() -> node.api("evaluator").post(B + "/measurements", body));
        }
        List<String> measurements = new ArrayList<>();
        for (Api.Response response : all(submissions)) {
            measurements.add(ok(response, 202).json().get("measurementId").asText());
        }
        assertThat(new HashSet<>(measurements)).hasSize(CLAIMS);

        // the first half approved twice at the same moment, once through each node: one approval each, one payout
        List<Callable<Api.Response>> approvals = new ArrayList<>();
        for (String id : measurements.subList(0, CLAIMS / 2)) {
            for (LedgerNode node : List.of(nodeA, nodeB)) {
                approvals.add(() -> node.api("payer").post(B + "/measurements/" + id + "/decision", """
                        {"decision": "APPROVE", "reason": "checked"}"""));
            }
        }
        List<Api.Response> decided = all(approvals);
        for (int i = 0; i < decided.size(); i += 2) {
            Set<Integer> pair = Set.of(decided.get(i).status(), decided.get(i + 1).status());
            assertThat(pair).as(decided.get(i) + " / " + decided.get(i + 1)).containsExactlyInAnyOrder(200, 409);
        }
        assertThat(owners()).isNotEmpty().isSubsetOf("node-a", "node-b");

        nodeA.close();
        for (String id : measurements.subList(CLAIMS / 2, CLAIMS)) {
            ok(nodeB.api("payer").post(B + "/measurements/" + id + "/decision", """
                    {"decision": "APPROVE", "reason": "checked"}"""), 200);
        }
        assertThat(nodeB.api("admin").await("/api/admin/projections", r -> owners().equals(Set.of("node-b"))).status())
                .isEqualTo(200);
        assertThat(owners()).containsExactly("node-b");

        Api.Response payouts = nodeB.api("payer").get(B + "/payouts?size=100");
        assertThat(payouts.json().get("totalItems").asInt()).isEqualTo(CLAIMS);
        assertThat(new HashSet<>(payouts.json().get("items").findValuesAsText("measurementId"))).hasSize(CLAIMS);
        assertThat(nodeB.sql().queryForObject("""
                SELECT count(*) FROM domainevententry WHERE aggregateidentifier = 'two-nodes'
                AND payloadtype LIKE '%PayoutTriggeredEvent'""", Integer.class)).isEqualTo(CLAIMS);
        assertThat(nodeB.api("arranger").get(B + "/integrity").json().get("intact").asBoolean()).isTrue();

        Map<String, List<String>> live = ReadModelTables.of(nodeB.sql());
        ReadModelTables.replayAll(nodeB.api("admin"));
        assertThat(ReadModelTables.of(nodeB.sql())).isEqualTo(live);
    }

    /** Who holds the read models' and the publisher's segments now. */
    private static Set<String> owners() {
        return new HashSet<>(nodeB.sql().queryForList("SELECT DISTINCT owner FROM tokenentry WHERE owner IS NOT NULL",
                String.class));
    }

    private static List<Api.Response> all(List<Callable<Api.Response>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> future : pool.invokeAll(calls)) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Api.Response ok(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }
}
