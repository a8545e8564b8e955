package org.sibledger.contracts.performance;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * How a bond performs: per metric and cohort what was submitted, approved and rejected (in outcome units: claims,
 * or one per result), what payouts that triggered, how much the caps held back and what was settled; the headroom
 * left under each cap; progress against targets; and the same figures month by month. Outcomes count on the day
 * they were achieved (a claim's {@code achievedOn}, a result's {@code periodEnd}, else the day it was submitted),
 * with the payouts they triggered; settlements on the day they were settled. Counted up to {@code asOf} (all when
 * null).
 */
public record PerformanceView(String bondId, String currency, LocalDate asOf, Figures total, List<MetricLine> metrics,
                              List<CapLine> caps, List<TargetLine> targets, List<MonthLine> months) {

    public PerformanceView {
        metrics = List.copyOf(metrics);
        caps = List.copyOf(caps);
        targets = List.copyOf(targets);
        months = List.copyOf(months);
    }

    public record Figures(BigDecimal submitted, BigDecimal approved, BigDecimal rejected, Money triggered,
                          Money capped, Money settled) {
    }

    /** {@code cohortId} is null for figures that belong to no cohort (a target result, savings). */
    public record MetricLine(String metric, String cohortId, Figures figures) {
    }

    /** A cap of the terms: CONTRACT, PAYER (of {@code subject}) or METRIC (of {@code subject}). */
    public record CapLine(String kind, String subject, Money limit, Money used, Money headroom) {
    }

    /**
     * A target of the terms and what approved measurements reached: a weighted target's value, a cohort's
     * improvement against the threshold, or a graduated rate against its lowest paying tier.
     * {@code progress} is achieved / target, not capped at 1.
     */
    public record TargetLine(String metric, String cohortId, String kind, BigDecimal target, BigDecimal achieved,
                             BigDecimal progress) {
    }

    /** Figures of one calendar month (outcomes by when achieved, settlements by when settled), {@code month} as yyyy-MM. */
    public record MonthLine(String month, Figures figures) {
    }
}
