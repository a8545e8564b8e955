package org.sibledger.api.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.ReliabilityReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same measurement approved twice at the same moment (two of the payer's clients, each with its own key): one
 * approval wins, the other is refused as already decided, and exactly one payout is triggered. Two nodes doing the
 * same is {@code TwoNodesTest}'s.
 */
class ConcurrentApprovalsTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final String BOND = "race-bond";
    private static final int MEASUREMENTS = 40;

    @Test
    void twoSimultaneousApprovalsTriggerOnePayout() throws Exception {
        String b = "/api/bonds/" + BOND;
        Bonds.openWithCohort(node::api, BOND, 100);
        Bonds.enrol(node::api, BOND, Bonds.participants(MEASUREMENTS));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MEASUREMENTS; i++) {
            ids.add(ok(node.api("evaluator").post(b + "/measurements", """
                    {"type": "OUTCOME_CLAIMS", "evidenceRef": "e", "claims": [{"participantRef": "p-%d",
                     "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "ps"}]}""".formatted(i)))
                    .json().get("measurementId").asText());
        }

        ExecutorService clients = Executors.newFixedThreadPool(2);
        Map<String, Integer> answers = new TreeMap<>();
        try {
            for (String id : ids) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Api.Response>> both = new ArrayList<>();
                for (String client : List.of("tab-1", "tab-2")) {
                    both.add(clients.submit(() -> {
                        together.await();
                        return node.api("payer").postWithKey(b + "/measurements/" + id + "/decision",
                                "{\"decision\": \"APPROVE\"}", client + "-" + id);
                    }));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Api.Response> answer : both) {
                    Api.Response response = answer.get();
                    statuses.add(response.status());
                    answers.merge(response.status() + (response.status() >= 400
                            ? " " + response.json().path("code").asText() : ""), 1, Integer::sum);
                }
                assertThat(statuses).as("answers to the two approvals of " + id).containsExactlyInAnyOrder(200, 409);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(node.sql().queryForList("""
                SELECT convert_from(payload, 'UTF8')::jsonb ->> 'measurementId' FROM domainevententry
                WHERE aggregateidentifier = ? AND payloadtype LIKE '%PayoutTriggeredEvent'""", String.class, BOND))
                .as("payouts, one per measurement").containsExactlyInAnyOrderElementsOf(ids);
        ReliabilityReport.add("Two approvals of the same measurement at the same moment",
                MEASUREMENTS + " measurements, each approved by two clients released together; answers " + answers,
                "nothing doubled: one approval and one payout per measurement");
    }

    private static Api.Response ok(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 299);
        return response;
    }
}
