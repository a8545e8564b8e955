package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Threshold against a comparison group (Peterborough): a cohort whose improvement reaches the cohort threshold pays
 * when its result is approved; at maturity, if the size-weighted mean improvement of all cohorts with a result
 * reaches the pooled threshold, one pooled payment covers the cohorts that had not paid early.
 *
 * <p>Improvement is {@code 1 - treated/comparison} when lower is better, else {@code treated/comparison - 1}; a
 * comparison of zero or less measures no improvement. Payment is the price per unit times the units improved,
 * {@code (comparison - treated) / unitScale x cohort size} (treated - comparison when higher is better), never
 * below zero. The latest approved result of a cohort counts: a better one pays the difference, a worse one pays
 * nothing more and takes nothing back. The pooled payment's units are the net units of the cohorts it covers, each
 * from its own latest result, so no improvement is paid for twice; a cohort the pooled payment covered is settled
 * and a later result for it pays nothing. The mechanism's cap bounds all of it together.
 */
final class ThresholdVsComparisonMechanism implements Mechanism {

    private final String currency;
    private final PaymentMechanism.ThresholdVsComparison terms;
    private final TermsHistory history;

    ThresholdVsComparisonMechanism(BondTerms bond, PaymentMechanism.ThresholdVsComparison terms, TermsHistory history) {
        this.currency = bond.currency();
        this.terms = terms;
        this.history = history;
    }

    @Override
    public Tally start(PricingFacts facts) {
        return new ThresholdTally(facts);
    }

    private final class ThresholdTally implements Tally {

        private final PricingFacts facts;
        private final Map<String, Measurement.CohortResult> latest = new LinkedHashMap<>();
        private final Map<String, BigDecimal> paidEarly = new HashMap<>();
        private final Set<String> settledAtMaturity = new HashSet<>();
        private final Headroom cap = new Headroom(terms.cap());

        ThresholdTally(PricingFacts facts) {
            this.facts = facts;
        }

        @Override
        public List<Entitlement> approve(ApprovedMeasurement approval) {
            if (!(approval.measurement() instanceof Measurement.CohortResult result)
                    || !terms.metric().equals(result.metric())) {
                return List.of();
            }
            TermsHistory.Priced<PaymentMechanism.ThresholdVsComparison> priced = history.pricing(approval.outcomeOn(),
                    PaymentMechanism.ThresholdVsComparison.class);
            PaymentMechanism.ThresholdVsComparison version = priced.terms();
            String cohort = result.cohortId();
            BigDecimal size = size(cohort);
            latest.put(cohort, result);
            BigDecimal improvement = improvement(version, result);
            if (settledAtMaturity.contains(cohort) || improvement.compareTo(version.cohortThreshold()) < 0) {
                return List.of();
            }
            BigDecimal units = units(version, result, size).max(BigDecimal.ZERO);
            BigDecimal entitled = units.multiply(version.pricePerUnit());
            BigDecimal before = paidEarly.getOrDefault(cohort, BigDecimal.ZERO);
            if (entitled.compareTo(before) <= 0) {
                return List.of();
            }
            paidEarly.put(cohort, entitled);
            BigDecimal gross = entitled.subtract(before);
            BigDecimal payable = cap.grant(gross);
            StringBuilder rule = new StringBuilder("threshold vs comparison: ").append(cohort).append(' ')
                    .append(figures(version, result)).append(", improvement ").append(Amounts.percent(improvement))
                    .append(" reaches the cohort threshold ").append(Amounts.percent(version.cohortThreshold()))
                    .append("; ").append(Amounts.plain(units)).append(" units improved at ")
                    .append(Amounts.money(currency, version.pricePerUnit())).append(priced.note());
            if (before.signum() > 0) {
                rule.append(", less ").append(Amounts.money(currency, before))
                        .append(" already due for an earlier result");
            }
            appendCap(rule, gross, payable);
            return List.of(new Entitlement(Amounts.key("cohort", approval.measurementId(), terms.metric(), cohort),
                    approval.measurementId(), terms.metric(), cohort, null, gross, payable, rule.toString(),
                    priced.version()));
        }

        @Override
        public List<Entitlement> mature() {
            List<String> unpaid = latest.keySet().stream()
                    .filter(cohort -> !paidEarly.containsKey(cohort) && !settledAtMaturity.contains(cohort))
                    .toList();
            if (unpaid.isEmpty()) {
                return List.of();
            }
            BigDecimal weighted = BigDecimal.ZERO;
            BigDecimal people = BigDecimal.ZERO;
            for (Measurement.CohortResult result : latest.values()) {
                BigDecimal size = size(result.cohortId());
                weighted = weighted.add(improvement(terms, result).multiply(size));
                people = people.add(size);
            }
            if (people.signum() == 0) {
                return List.of();
            }
            BigDecimal pooled = weighted.divide(people, Amounts.RATIO);
            if (pooled.compareTo(terms.pooledThreshold()) < 0) {
                return List.of();
            }
            BigDecimal units = BigDecimal.ZERO;
            for (String cohort : unpaid) {
                units = units.add(units(terms, latest.get(cohort), size(cohort)));
            }
            settledAtMaturity.addAll(unpaid);
            units = units.max(BigDecimal.ZERO);
            BigDecimal gross = units.multiply(terms.pricePerUnit());
            if (gross.signum() == 0) {
                return List.of();
            }
            BigDecimal payable = cap.grant(gross);
            StringBuilder rule = new StringBuilder("threshold vs comparison at maturity: pooled improvement ")
                    .append(Amounts.percent(pooled)).append(" of ").append(latest.size())
                    .append(" cohorts weighted by size reaches the pooled threshold ")
                    .append(Amounts.percent(terms.pooledThreshold())).append("; pays for ")
                    .append(String.join(", ", unpaid)).append(": ").append(Amounts.plain(units))
                    .append(" units improved at ").append(Amounts.money(currency, terms.pricePerUnit()));
            appendCap(rule, gross, payable);
            return List.of(new Entitlement(Amounts.key("pooled", terms.metric()), null, terms.metric(), null, null,
                    gross, payable, rule.toString(), history.inForceOn(null).number()));
        }

        private void appendCap(StringBuilder rule, BigDecimal gross, BigDecimal payable) {
            if (payable.compareTo(gross) < 0) {
                rule.append("; capped by the mechanism cap ").append(Amounts.money(currency, terms.cap()));
            }
        }

        private String figures(PaymentMechanism.ThresholdVsComparison version, Measurement.CohortResult result) {
            return Amounts.plain(result.treated()) + " vs " + Amounts.plain(result.comparison()) + " per "
                    + Amounts.plain(version.unitScale());
        }

        /** A cohort's size must be known before its result is priced, so an unknown one refuses the approval. */
        private BigDecimal size(String cohort) {
            Integer size = facts.cohortSizes().get(cohort);
            if (size == null) {
                throw new IllegalArgumentException("the size of cohort '" + cohort + "' is not known, so its result"
                        + " cannot be priced");
            }
            return BigDecimal.valueOf(size);
        }
    }

    BigDecimal improvement(Measurement.CohortResult result) {
        return improvement(terms, result);
    }

    private static BigDecimal improvement(PaymentMechanism.ThresholdVsComparison terms, Measurement.CohortResult result) {
        if (result.comparison().signum() <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal difference = terms.lowerIsBetter()
                ? result.comparison().subtract(result.treated())
                : result.treated().subtract(result.comparison());
        return difference.divide(result.comparison(), Amounts.RATIO);
    }

    private static BigDecimal units(PaymentMechanism.ThresholdVsComparison terms, Measurement.CohortResult result,
                                    BigDecimal size) {
        BigDecimal difference = terms.lowerIsBetter()
                ? result.comparison().subtract(result.treated())
                : result.treated().subtract(result.comparison());
        return difference.multiply(size).divide(terms.unitScale(), Amounts.RATIO);
    }
}
