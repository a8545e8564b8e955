package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rate card: each approved claim pays its metric's price, held first to the participant cap (across all metrics of
 * that participant) and then to the metric cap, first come first served in approval order.
 *
 * <p>A claim pays at most once: a one-off metric once per participant, a repeatable metric once per participant
 * and achieved-on date, so a claim that reappears (a resubmission, a correction that repeats it) adds nothing.
 * Claims for metrics the card does not price add nothing.
 */
final class RateCardMechanism implements Mechanism {

    private final String currency;
    private final Map<String, PaymentMechanism.Price> prices = new HashMap<>();
    private final Set<String> repeatable = new HashSet<>();
    private final BigDecimal perParticipantCap;
    private final TermsHistory history;

    RateCardMechanism(BondTerms terms, PaymentMechanism.RateCard card, TermsHistory history) {
        this.currency = terms.currency();
        this.history = history;
        card.prices().forEach(price -> prices.put(price.metric(), price));
        terms.metrics().stream().filter(BondTerms.Metric::repeatable).forEach(metric -> repeatable.add(metric.id()));
        this.perParticipantCap = card.perParticipantCap();
    }

    @Override
    public Tally start(PricingFacts facts) {
        return new RateCardTally();
    }

    private final class RateCardTally implements Tally {

        private final Map<String, Headroom> participants = new HashMap<>();
        private final Map<String, Headroom> metrics = new HashMap<>();
        private final Set<String> claimed = new HashSet<>();

        @Override
        public List<Entitlement> approve(ApprovedMeasurement approval) {
            if (!(approval.measurement() instanceof Measurement.OutcomeClaims outcomeClaims)) {
                return List.of();
            }
            List<Entitlement> lines = new ArrayList<>();
            List<Measurement.OutcomeClaim> claims = outcomeClaims.claims();
            for (int i = 0; i < claims.size(); i++) {
                Measurement.OutcomeClaim claim = claims.get(i);
                TermsHistory.Priced<PaymentMechanism.RateCard> card = history.pricing(claim.achievedOn(),
                        PaymentMechanism.RateCard.class);
                PaymentMechanism.Price price = card.terms().prices().stream()
                        .filter(p -> p.metric().equals(claim.metric())).findFirst().orElse(null);
                if (price == null || !claimed.add(identity(claim))) {
                    continue;
                }
                lines.add(price(approval.measurementId(), i, claim, price, card));
            }
            return lines;
        }

        private Entitlement price(String measurementId, int index, Measurement.OutcomeClaim claim,
                                  PaymentMechanism.Price price, TermsHistory.Priced<PaymentMechanism.RateCard> card) {
            StringBuilder rule = new StringBuilder("rate card: ").append(claim.metric()).append(" at ")
                    .append(Amounts.money(currency, price.price())).append(card.note()).append(" for participant ")
                    .append(claim.participantRef());
            BigDecimal gross = price.price();
            BigDecimal payable = gross;
            Headroom participant = participants.computeIfAbsent(claim.participantRef(),
                    ref -> new Headroom(perParticipantCap));
            PaymentMechanism.Price current = prices.get(claim.metric());
            BigDecimal metricCap = current == null ? null : current.metricCap();
            Headroom metric = metrics.computeIfAbsent(claim.metric(), id -> new Headroom(metricCap));
            BigDecimal afterParticipant = participant.grant(payable);
            if (afterParticipant.compareTo(payable) < 0) {
                rule.append("; capped by participant cap ").append(Amounts.money(currency, perParticipantCap));
            }
            payable = metric.grant(afterParticipant);
            if (payable.compareTo(afterParticipant) < 0) {
                rule.append("; capped by metric cap ").append(Amounts.money(currency, metricCap));
            }
            // What the metric cap withheld stays unused under the participant cap.
            participant.release(afterParticipant.subtract(payable));
            return new Entitlement(Amounts.key("claim", measurementId, index, claim.metric(), claim.participantRef()),
                    measurementId, claim.metric(), null, claim.participantRef(), gross, payable, rule.toString(),
                    card.version());
        }

        private String identity(Measurement.OutcomeClaim claim) {
            return repeatable.contains(claim.metric())
                    ? Amounts.key(claim.participantRef(), claim.metric(), claim.achievedOn())
                    : Amounts.key(claim.participantRef(), claim.metric());
        }
    }
}
