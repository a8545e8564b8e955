package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted targets (Educate Girls): the maximum outcome payment times the sum over metrics of
 * {@code weight x min(achieved / target, 1)}; achievement below zero counts as zero and over-achievement as the
 * target. The latest approved result of a metric counts: a better one pays the difference, a worse one pays nothing
 * more and takes nothing back, so each metric has earned the most it ever reached. The maximum outcome payment also
 * caps the whole, which only binds if the weights add up to more than one.
 */
final class WeightedTargetsMechanism implements Mechanism {

    private final String currency;
    private final PaymentMechanism.WeightedTargets terms;
    private final Map<String, PaymentMechanism.Target> targets = new HashMap<>();

    private final TermsHistory history;

    WeightedTargetsMechanism(BondTerms bond, PaymentMechanism.WeightedTargets terms, TermsHistory history) {
        this.currency = bond.currency();
        this.terms = terms;
        this.history = history;
        terms.targets().forEach(target -> targets.put(target.metric(), target));
    }

    @Override
    public Tally start(PricingFacts facts) {
        Map<String, BigDecimal> earned = new HashMap<>();
        Headroom maximum = new Headroom(terms.maximumOutcomePayment());
        return approval -> {
            if (!(approval.measurement() instanceof Measurement.TargetResult result)
                    || !targets.containsKey(result.metric())) {
                return List.of();
            }
            TermsHistory.Priced<PaymentMechanism.WeightedTargets> priced = history.pricing(approval.outcomeOn(),
                    PaymentMechanism.WeightedTargets.class);
            PaymentMechanism.WeightedTargets version = priced.terms();
            PaymentMechanism.Target target = version.targets().stream()
                    .filter(t -> t.metric().equals(result.metric())).findFirst().orElse(null);
            if (target == null) {
                return List.of();
            }
            BigDecimal achievement = result.achieved().divide(target.target(), Amounts.RATIO);
            BigDecimal counted = achievement.max(BigDecimal.ZERO).min(BigDecimal.ONE);
            BigDecimal entitled = version.maximumOutcomePayment().multiply(target.weight()).multiply(counted);
            BigDecimal before = earned.getOrDefault(result.metric(), BigDecimal.ZERO);
            if (entitled.compareTo(before) <= 0) {
                return List.of();
            }
            earned.put(result.metric(), entitled);
            BigDecimal gross = entitled.subtract(before);
            BigDecimal payable = maximum.grant(gross);
            StringBuilder rule = new StringBuilder("weighted targets: ").append(result.metric()).append(" achieved ")
                    .append(Amounts.plain(result.achieved())).append(" of target ")
                    .append(Amounts.plain(target.target())).append(" (").append(Amounts.percent(achievement))
                    .append(", counted as ").append(Amounts.percent(counted)).append(") x weight ")
                    .append(Amounts.plain(target.weight())).append(" x maximum ")
                    .append(Amounts.money(currency, version.maximumOutcomePayment())).append(priced.note());
            if (before.signum() > 0) {
                rule.append(", less ").append(Amounts.money(currency, before))
                        .append(" already due for an earlier result");
            }
            if (payable.compareTo(gross) < 0) {
                rule.append("; capped by the maximum outcome payment ")
                        .append(Amounts.money(currency, terms.maximumOutcomePayment()));
            }
            return List.of(new Entitlement(Amounts.key("target", approval.measurementId(), result.metric()),
                    approval.measurementId(), result.metric(), null, null, gross, payable, rule.toString(),
                    priced.version()));
        };
    }
}
