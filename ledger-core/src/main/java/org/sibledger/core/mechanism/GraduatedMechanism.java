package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.util.List;

/**
 * Graduated success (Tel Aviv loneliness): the measured rate maps to the payment of the highest tier whose
 * {@code atLeast} it reaches; below the lowest tier nothing is paid. A tier's payment is the total for reaching it,
 * not an increment, and a negative one counts as zero. The latest approved result counts: a higher tier pays the
 * difference, a lower one pays nothing more and takes nothing back.
 */
final class GraduatedMechanism implements Mechanism {

    private final String currency;
    private final PaymentMechanism.Graduated terms;

    private final TermsHistory history;

    GraduatedMechanism(BondTerms bond, PaymentMechanism.Graduated terms, TermsHistory history) {
        this.currency = bond.currency();
        this.terms = terms;
        this.history = history;
    }

    @Override
    public Tally start(PricingFacts facts) {
        BigDecimal[] earned = {BigDecimal.ZERO};
        return approval -> {
            if (!(approval.measurement() instanceof Measurement.TargetResult result)
                    || !terms.metric().equals(result.metric())) {
                return List.of();
            }
            TermsHistory.Priced<PaymentMechanism.Graduated> priced = history.pricing(approval.outcomeOn(),
                    PaymentMechanism.Graduated.class);
            PaymentMechanism.GraduatedTier reached = null;
            for (PaymentMechanism.GraduatedTier tier : priced.terms().tiers()) {
                if (tier.atLeast().compareTo(result.achieved()) <= 0
                        && (reached == null || tier.atLeast().compareTo(reached.atLeast()) > 0)) {
                    reached = tier;
                }
            }
            if (reached == null || reached.payment().compareTo(earned[0]) <= 0) {
                return List.of();
            }
            BigDecimal before = earned[0];
            earned[0] = reached.payment();
            BigDecimal gross = reached.payment().subtract(before);
            StringBuilder rule = new StringBuilder("graduated: ").append(result.metric()).append(' ')
                    .append(Amounts.plain(result.achieved())).append(" reaches the tier from ")
                    .append(Amounts.plain(reached.atLeast())).append(", paying ")
                    .append(Amounts.money(currency, reached.payment())).append(" in all").append(priced.note());
            if (before.signum() > 0) {
                rule.append(", less ").append(Amounts.money(currency, before))
                        .append(" already due for a lower tier");
            }
            return List.of(new Entitlement(Amounts.key("graduated", approval.measurementId(), result.metric()),
                    approval.measurementId(), result.metric(), null, null, gross, gross, rule.toString(),
                    priced.version()));
        };
    }
}
