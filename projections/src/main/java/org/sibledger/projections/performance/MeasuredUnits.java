package org.sibledger.projections.performance;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a measurement counts for, per metric and cohort: a claim is one unit of its metric in its participant's
 * cohort; a cohort, target or savings result is one unit with its value (a cohort's improvement on its comparison
 * group, the achieved figure, the savings).
 */
record MeasuredUnits(String metric, String cohortId, int units, BigDecimal value) {

    static List<MeasuredUnits> of(Measurement measurement, BondTerms terms, UnaryOperator<String> cohortOfParticipant) {
        if (measurement instanceof Measurement.OutcomeClaims claims) {
            Map<List<String>, Integer> counts = new LinkedHashMap<>();
            for (Measurement.OutcomeClaim claim : claims.claims()) {
                String cohort = cohortOfParticipant.apply(claim.participantRef());
                counts.merge(List.of(nz(claim.metric()), nz(cohort)), 1, Integer::sum);
            }
            List<MeasuredUnits> units = new ArrayList<>();
            counts.forEach((key, n) -> units.add(new MeasuredUnits(key.get(0), key.get(1), n, null)));
            return units;
        }
        if (measurement instanceof Measurement.CohortResult result) {
            return List.of(new MeasuredUnits(nz(result.metric()), nz(result.cohortId()), 1, improvement(result, terms)));
        }
        if (measurement instanceof Measurement.TargetResult result) {
            return List.of(new MeasuredUnits(nz(result.metric()), "", 1, result.achieved()));
        }
        Measurement.Savings savings = (Measurement.Savings) measurement;
        return List.of(new MeasuredUnits(savingsMetric(terms), "", 1, savings.amount()));
    }

    /** 1 - treated/comparison where lower is better, treated/comparison - 1 where higher is, as DOMAIN.md defines it. */
    private static BigDecimal improvement(Measurement.CohortResult result, BondTerms terms) {
        if (!(terms.paymentMechanism() instanceof PaymentMechanism.ThresholdVsComparison threshold)
                || result.comparison() == null || result.treated() == null || result.comparison().signum() == 0) {
            return null;
        }
        BigDecimal ratio = result.treated().divide(result.comparison(), MathContext.DECIMAL64);
        return threshold.lowerIsBetter() ? BigDecimal.ONE.subtract(ratio) : ratio.subtract(BigDecimal.ONE);
    }

    private static String savingsMetric(BondTerms terms) {
        return terms.paymentMechanism() instanceof PaymentMechanism.SavingsShare share && share.metric() != null
                ? share.metric() : "savings";
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
