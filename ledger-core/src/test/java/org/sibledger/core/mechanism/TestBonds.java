package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/** Terms and approvals for mechanism tests; the one place that knows the contracts' constructors. */
final class TestBonds {

    static final LocalDate DAY = LocalDate.parse("2020-01-01");

    private TestBonds() {
    }

    static BigDecimal dec(String value) {
        return value == null ? null : new BigDecimal(value);
    }

    static BondTerms terms(String currency, String contractCap, List<BondTerms.OutcomePayer> payers,
                           List<BondTerms.Metric> metrics, PaymentMechanism mechanism) {
        return new BondTerms("test-bond", "Test bond", currency, dec(contractCap), LocalDate.parse("2018-10-01"),
                LocalDate.parse("2022-03-31"),
                new BondTerms.Parties("arranger", List.of("provider"), payers, List.of("evaluator"), List.of("investor")),
                metrics, mechanism, null);
    }

    static List<BondTerms.OutcomePayer> onePayer(String cap) {
        return List.of(payer("payer", "1", cap));
    }

    static BondTerms.OutcomePayer payer(String id, String share, String cap) {
        return new BondTerms.OutcomePayer(id, dec(share), dec(cap));
    }

    static BondTerms.Metric metric(String id, boolean repeatable) {
        return new BondTerms.Metric(id, id, repeatable);
    }

    static List<BondTerms.Metric> metrics(String... ids) {
        return Arrays.stream(ids).map(id -> metric(id, false)).toList();
    }

    static PaymentMechanism.Price price(String metric, String price, String metricCap) {
        return new PaymentMechanism.Price(metric, dec(price), dec(metricCap));
    }

    static Measurement.OutcomeClaim claim(String participant, String metric) {
        return claim(participant, metric, DAY);
    }

    static Measurement.OutcomeClaim claim(String participant, String metric, LocalDate achievedOn) {
        return new Measurement.OutcomeClaim(participant, metric, achievedOn, "evidence/" + participant);
    }

    static ApprovedMeasurement claims(String measurementId, Measurement.OutcomeClaim... claims) {
        return claims(measurementId, List.of(claims));
    }

    static ApprovedMeasurement claims(String measurementId, List<Measurement.OutcomeClaim> claims) {
        return approved(measurementId, new Measurement.OutcomeClaims(claims));
    }

    static ApprovedMeasurement cohort(String measurementId, String cohortId, String metric, String treated,
                                      String comparison) {
        return approved(measurementId, new Measurement.CohortResult(cohortId, metric, "12 months", dec(treated),
                dec(comparison)));
    }

    static ApprovedMeasurement target(String measurementId, String metric, String achieved) {
        return approved(measurementId, new Measurement.TargetResult(metric, dec(achieved)));
    }

    static ApprovedMeasurement savings(String measurementId, String amount, String period) {
        return approved(measurementId, new Measurement.Savings(dec(amount), period));
    }

    static ApprovedMeasurement approved(String measurementId, Measurement measurement) {
        return new ApprovedMeasurement(measurementId, measurement, DAY);
    }
}
