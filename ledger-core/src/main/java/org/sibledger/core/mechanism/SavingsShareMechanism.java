package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Share of savings, on cumulative verified savings S (the latest approved figure of each period, added up over
 * periods; a measurement without a period is a period of its own).
 *
 * <p>Utah style: {@code shareUntilRepaid} of savings until the outcome payments reach R = funded capital x (1 +
 * repaymentInterestRate), then {@code shareAfterRepaid}. The interest is simple and counted once, not compounded
 * per year; "investors have received" is read as the outcome payments this mechanism has made, and the funded
 * capital is the one known when an approval is priced; with nothing funded the second share applies at once, and a
 * first share of zero never repays, so pays nothing. Aluma style: each tier pays its share of the part of S
 * between the previous tier's {@code upTo} and its own (null: no upper bound).
 *
 * <p>A lower cumulative entitlement (savings revised down) pays nothing more and takes nothing back. The optional
 * cap bounds the total.
 */
final class SavingsShareMechanism implements Mechanism {

    private final String currency;
    private final PaymentMechanism.SavingsShare terms;

    private final TermsHistory history;

    SavingsShareMechanism(BondTerms bond, PaymentMechanism.SavingsShare terms, TermsHistory history) {
        this.currency = bond.currency();
        this.terms = terms;
        this.history = history;
    }

    @Override
    public Tally start(PricingFacts facts) {
        Map<String, BigDecimal> byPeriod = new LinkedHashMap<>();
        BigDecimal[] earned = {BigDecimal.ZERO};
        Headroom cap = new Headroom(terms.cap());
        return approval -> {
            if (!(approval.measurement() instanceof Measurement.Savings savings)) {
                return List.of();
            }
            byPeriod.put(savings.period() == null ? Amounts.key("measurement", approval.measurementId())
                    : Amounts.key("period", savings.period()), savings.amount());
            BigDecimal cumulative = byPeriod.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            TermsHistory.Priced<PaymentMechanism.SavingsShare> priced = history.pricing(approval.outcomeOn(),
                    PaymentMechanism.SavingsShare.class);
            BigDecimal entitled = entitlement(priced.terms(), cumulative, facts).max(BigDecimal.ZERO);
            if (entitled.compareTo(earned[0]) <= 0) {
                return List.of();
            }
            BigDecimal before = earned[0];
            earned[0] = entitled;
            BigDecimal gross = entitled.subtract(before);
            BigDecimal payable = cap.grant(gross);
            StringBuilder rule = new StringBuilder("share of savings: cumulative savings ")
                    .append(Amounts.money(currency, cumulative)).append(' ').append(schedule(priced.terms(), facts))
                    .append(priced.note()).append(" gives ").append(Amounts.money(currency, entitled)).append(" in all");
            if (before.signum() > 0) {
                rule.append(", less ").append(Amounts.money(currency, before)).append(" already due");
            }
            if (payable.compareTo(gross) < 0) {
                rule.append("; capped by the mechanism cap ").append(Amounts.money(currency, terms.cap()));
            }
            return List.of(new Entitlement(Amounts.key("savings", approval.measurementId(), terms.metric()),
                    approval.measurementId(), terms.metric(), null, null, gross, payable, rule.toString(),
                    priced.version()));
        };
    }

    BigDecimal entitlement(BigDecimal savings, PricingFacts facts) {
        return entitlement(terms, savings, facts);
    }

    private static BigDecimal entitlement(PaymentMechanism.SavingsShare terms, BigDecimal savings, PricingFacts facts) {
        if (!terms.tiers().isEmpty()) {
            return tiered(terms, savings);
        }
        BigDecimal until = orZero(terms.shareUntilRepaid());
        BigDecimal after = orZero(terms.shareAfterRepaid());
        BigDecimal repayment = repayment(terms, facts);
        if (repayment.signum() <= 0) {
            return after.multiply(savings);
        }
        if (until.signum() == 0 || until.multiply(savings).compareTo(repayment) <= 0) {
            return until.multiply(savings);
        }
        BigDecimal savingsAtRepayment = repayment.divide(until, Amounts.RATIO);
        return repayment.add(after.multiply(savings.subtract(savingsAtRepayment)));
    }

    private static BigDecimal tiered(PaymentMechanism.SavingsShare terms, BigDecimal savings) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (PaymentMechanism.SavingsTier tier : terms.tiers()) {
            BigDecimal portion = savings.subtract(lower);
            if (tier.upTo() != null) {
                portion = portion.min(tier.upTo().subtract(lower));
            }
            total = total.add(tier.share().multiply(portion.max(BigDecimal.ZERO)));
            if (tier.upTo() == null) {
                break;
            }
            lower = lower.max(tier.upTo());
        }
        return total;
    }

    private static BigDecimal repayment(PaymentMechanism.SavingsShare terms, PricingFacts facts) {
        return facts.fundedCapital().multiply(BigDecimal.ONE.add(orZero(terms.repaymentInterestRate())));
    }

    private String schedule(PaymentMechanism.SavingsShare terms, PricingFacts facts) {
        if (terms.tiers().isEmpty()) {
            return "at " + Amounts.percent(orZero(terms.shareUntilRepaid())) + " until investors have received "
                    + Amounts.money(currency, repayment(terms, facts)) + " (funded capital "
                    + Amounts.money(currency, facts.fundedCapital()) + " x (1 + "
                    + Amounts.percent(orZero(terms.repaymentInterestRate())) + "), simple interest), then "
                    + Amounts.percent(orZero(terms.shareAfterRepaid()));
        }
        StringBuilder tiers = new StringBuilder("through tiers");
        for (PaymentMechanism.SavingsTier tier : terms.tiers()) {
            tiers.append(' ').append(Amounts.percent(tier.share()))
                    .append(tier.upTo() == null ? " beyond" : " up to " + Amounts.money(currency, tier.upTo()))
                    .append(',');
        }
        tiers.setLength(tiers.length() - 1);
        return tiers.toString();
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
