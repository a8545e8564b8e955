package org.sibledger.api.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** After a scenario, Prometheus shows the business meters with the values the scenario implies. */
class BusinessMetricsTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension("--sib.metrics.refresh=300ms");

    private static final String BOND = "metrics-bond";
    private static final Pattern LINE = Pattern.compile("^([a-z_]+)\\{([^}]*)} (\\S+)$");

    @Test
    void theBusinessMetersCountWhatTheLedgerHolds() {
        String b = "/api/bonds/" + BOND;
        ok(node.api("arranger").post("/api/bonds", Terms.rateCard(BOND)), 201);
        ok(node.api("investor").post(b + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}"""), 201);
        ok(node.api("arranger").post(b + "/opening", ""), 200);
        ok(node.api("provider").post(b + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 10, "startDate": "2019-01-01"}"""), 201);
        ok(node.api("provider").post(b + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}, {"participantRef": "p-3"}]"""), 201);
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = ok(node.api("evaluator").post(b + "/measurements", """
                    {"type": "OUTCOME_CLAIMS", "evidenceRef": "e", "claims": [{"participantRef": "p-%d",
                     "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "ps"}]}""".formatted(i + 1)), 202)
                    .json().get("measurementId").asText();
        }
        decide(b, ids[0], "APPROVE");
        decide(b, ids[1], "APPROVE");
        decide(b, ids[2], "REJECT");
        String payoutId = node.api("payer").get(b + "/payouts").json().at("/items/0/payoutId").asText();
        ok(node.api("payer").post(b + "/payouts/" + payoutId + "/settlement", ""), 200);

        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("sib_measurements{bond=" + BOND + ",status=APPROVED}", 2.0);
        expected.put("sib_measurements{bond=" + BOND + ",status=REJECTED}", 1.0);
        expected.put("sib_measurements_submitted{bond=" + BOND + "}", 3.0);
        expected.put("sib_payouts{bond=" + BOND + ",currency=GBP,status=TRIGGERED}", 2.0);
        expected.put("sib_payouts_amount{bond=" + BOND + ",currency=GBP,status=TRIGGERED}", 5500.0);
        expected.put("sib_payouts{bond=" + BOND + ",currency=GBP,status=SETTLED}", 1.0);
        expected.put("sib_payouts_amount{bond=" + BOND + ",currency=GBP,status=SETTLED}", 2750.0);
        expected.put("sib_cap_headroom{bond=" + BOND + ",cap=CONTRACT,currency=GBP,subject=}", 2244500.0);
        expected.put("sib_cap_headroom{bond=" + BOND + ",cap=PAYER,currency=GBP,subject=payer}", 2244500.0);
        expected.put("sib_command_latency_seconds_count{command=DecideOnMeasurementCommand,outcome=stored}", 3.0);
        expected.put("sib_processor_lag_events{group=performance}", 0.0);
        expected.put("sib_processor_lag_events{group=kafka-publisher}", 0.0);

        Api.Response scrape = node.api("admin").await("/actuator/prometheus",
                r -> expected.entrySet().stream().allMatch(e -> value(r.body(), e.getKey()).orElse(-1.0).equals(e.getValue())));
        expected.forEach((meter, value) -> assertThat(value(scrape.body(), meter)).as(meter).contains(value));
        // 14 events: structured, committed, opened, cohort, enrolled, 3 submitted, 2 approved + 2 payouts, rejected, settled
        assertThat(value(scrape.body(), "sib_kafka_publish_lag_seconds_count{}")).contains(14.0);
        assertThat(value(scrape.body(), "sib_command_latency_seconds_count{command=DecideOnMeasurementCommand,outcome=refused}"))
                .isEmpty();
        ok(node.api("payer").post(b + "/measurements/" + ids[0] + "/decision", """
                {"decision": "APPROVE"}"""), 409);
        Api.Response after = node.api("admin").await("/actuator/prometheus", r -> value(r.body(),
                "sib_command_latency_seconds_count{command=DecideOnMeasurementCommand,outcome=refused}").isPresent());
        assertThat(value(after.body(), "sib_command_latency_seconds_count{command=DecideOnMeasurementCommand,outcome=refused}"))
                .contains(1.0);
    }

    /** The value of a meter, named with its tags in name order ("application" left out), as Prometheus shows it. */
    private static Optional<Double> value(String scrape, String meter) {
        for (String line : scrape.split("\n")) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                continue;
            }
            StringBuilder tags = new StringBuilder();
            for (String tag : matcher.group(2).split(",")) {
                if (tag.isEmpty() || tag.startsWith("application=")) {
                    continue;
                }
                String[] kv = tag.split("=", 2);
                tags.append(tags.length() == 0 ? "" : ",").append(kv[0]).append('=').append(kv[1].replace("\"", ""));
            }
            if ((matcher.group(1) + "{" + tags + "}").equals(meter)) {
                return Optional.of(Double.parseDouble(matcher.group(3)));
            }
        }
        return Optional.empty();
    }

    private static void decide(String bond, String measurementId, String decision) {
        ok(node.api("payer").post(bond + "/measurements/" + measurementId + "/decision", """
                {"decision": "%s", "reason": "checked"}""".formatted(decision)), 200);
    }

    private static Api.Response ok(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }
}
