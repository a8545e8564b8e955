package org.sibledger.projections.performance;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a measurement counts for, per metric, cohort and day of outcome: a claim is one unit of its metric in its
 * participant's cohort on its {@code achievedOn}; a cohort, target or savings result is one unit with its value (a
 * cohort's improvement on its comparison group, the achieved figure, the savings) on its {@code periodEnd}.
 * {@code outcomeOn} is null where the measurement names no day (then the day it was submitted dates it).
 */
record MeasuredUnits(String metric, String cohortId, int units, BigDecimal value, LocalDate outcomeOn) {

    static List<MeasuredUnits> of(Measurement measurement, BondTerms terms, UnaryOperator<String> cohortOfParticipant) {
        if (measurement instanceof Measurement.OutcomeClaims claims) {
            Map<List<Object>, Integer> counts = new LinkedHashMap<>();
            for (Measurement.OutcomeClaim claim : claims.claims()) {
                String cohort = cohortOfParticipant.apply(claim.participantRef());
                counts.merge(java.util.Arrays.asList(nz(claim.metric()), nz(cohort), claim.achievedOn()), 1, Integer::sum);
            }
            List<MeasuredUnits> units = new ArrayList<>();
            counts.forEach((key, n) -> units.add(new MeasuredUnits((String) key.get(0), (String) key.get(1), n, null,
                    (LocalDate) key.get(2))));
            return units;
        }
        if (measurement instanceof Measurement.CohortResult result) {
            return List.of(new MeasuredUnits(nz(result.metric()), nz(result.cohortId()), 1, improvement(result, terms),
                    result.periodEnd()));
        }
        if (measurement instanceof Measurement.TargetResult result) {
            return List.of(new MeasuredUnits(nz(result.metric()), "", 1, result.achieved(), result.periodEnd()));
        }
        Measurement.Savings savings = (Measurement.Savings) measurement;
        return List.of(new MeasuredUnits(savingsMetric(terms), "", 1, savings.amount(), savings.periodEnd()));
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
