package org.sibledger.contracts.measurement;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** What an evaluator measured: one of the four kinds of API.md, told apart by {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Measurement.OutcomeClaims.class, name = "OUTCOME_CLAIMS"),
        @JsonSubTypes.Type(value = Measurement.CohortResult.class, name = "COHORT_RESULT"),
        @JsonSubTypes.Type(value = Measurement.TargetResult.class, name = "TARGET_RESULT"),
        @JsonSubTypes.Type(value = Measurement.Savings.class, name = "SAVINGS")
})
public sealed interface Measurement {

    /** Individual outcomes, for rate cards: each participant reached a metric on a date, with evidence. */
    record OutcomeClaims(List<OutcomeClaim> claims) implements Measurement {
        public OutcomeClaims {
            claims = claims == null ? List.of() : List.copyOf(claims);
        }
    }

    record OutcomeClaim(String participantRef, String metric, LocalDate achievedOn, String evidenceRef) {
    }

    /**
     * A cohort's value of a metric against its comparison group's, for threshold mechanisms. {@code periodEnd}, the
     * last day of the period measured, dates the result: it must fall in the bond's outcome window, and the terms in
     * force on it price the result (without it, the day of submission does).
     */
    record CohortResult(String cohortId, String metric, String period, BigDecimal treated, BigDecimal comparison,
                        LocalDate periodEnd) implements Measurement {
        public CohortResult(String cohortId, String metric, String period, BigDecimal treated, BigDecimal comparison) {
            this(cohortId, metric, period, treated, comparison, null);
        }
    }

    /** What was achieved on a metric with a target, for weighted targets and graduated tiers; dated as a cohort result. */
    record TargetResult(String metric, BigDecimal achieved, LocalDate periodEnd) implements Measurement {
        public TargetResult(String metric, BigDecimal achieved) {
            this(metric, achieved, null);
        }
    }

    /** Verified savings in a period, for share-of-savings mechanisms; in the bond's currency; dated as a cohort result. */
    record Savings(BigDecimal amount, String period, LocalDate periodEnd) implements Measurement {
        public Savings(BigDecimal amount, String period) {
            this(amount, period, null);
        }
    }

    /** The last day of the period a result measures, where the evaluator gave it; null for outcome claims. */
    default LocalDate periodEnd() {
        return null;
    }
}
