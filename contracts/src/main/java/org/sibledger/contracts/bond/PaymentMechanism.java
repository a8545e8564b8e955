package org.sibledger.contracts.bond;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.math.BigDecimal;
import java.util.List;

/** How measured outcomes turn into payments: one of the five mechanisms of DOMAIN.md, told apart by {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PaymentMechanism.RateCard.class, name = "RATE_CARD"),
        @JsonSubTypes.Type(value = PaymentMechanism.ThresholdVsComparison.class, name = "THRESHOLD_VS_COMPARISON"),
        @JsonSubTypes.Type(value = PaymentMechanism.WeightedTargets.class, name = "WEIGHTED_TARGETS"),
        @JsonSubTypes.Type(value = PaymentMechanism.SavingsShare.class, name = "SAVINGS_SHARE"),
        @JsonSubTypes.Type(value = PaymentMechanism.Graduated.class, name = "GRADUATED")
})
public sealed interface PaymentMechanism {

    /** The metric ids this mechanism pays for. */
    List<String> metricIds();

    record RateCard(List<Price> prices, BigDecimal perParticipantCap) implements PaymentMechanism {
        public RateCard {
            prices = prices == null ? List.of() : List.copyOf(prices);
        }

        @Override
        public List<String> metricIds() {
            return prices.stream().map(Price::metric).toList();
        }
    }

    record Price(String metric, BigDecimal price, BigDecimal metricCap) {
    }

    record ThresholdVsComparison(String metric, boolean lowerIsBetter, BigDecimal cohortThreshold,
                                 BigDecimal pooledThreshold, BigDecimal pricePerUnit, BigDecimal unitScale,
                                 BigDecimal cap) implements PaymentMechanism {
        @Override
        public List<String> metricIds() {
            return List.of(metric);
        }
    }

    record WeightedTargets(BigDecimal maximumOutcomePayment, List<Target> targets) implements PaymentMechanism {
        public WeightedTargets {
            targets = targets == null ? List.of() : List.copyOf(targets);
        }

        @Override
        public List<String> metricIds() {
            return targets.stream().map(Target::metric).toList();
        }
    }

    record Target(String metric, BigDecimal target, BigDecimal weight) {
    }

    /** Utah style (shares switching once investors are repaid) or Aluma style (tiers on cumulative savings). */
    record SavingsShare(String metric, BigDecimal shareUntilRepaid, BigDecimal shareAfterRepaid,
                        BigDecimal repaymentInterestRate, List<SavingsTier> tiers, BigDecimal cap)
            implements PaymentMechanism {
        public SavingsShare {
            tiers = tiers == null ? List.of() : List.copyOf(tiers);
        }

        @Override
        public List<String> metricIds() {
            return metric == null ? List.of() : List.of(metric);
        }
    }

    record SavingsTier(BigDecimal upTo, BigDecimal share) {
    }

    record Graduated(String metric, List<GraduatedTier> tiers) implements PaymentMechanism {
        public Graduated {
            tiers = tiers == null ? List.of() : List.copyOf(tiers);
        }

        @Override
        public List<String> metricIds() {
            return List.of(metric);
        }
    }

    record GraduatedTier(BigDecimal atLeast, BigDecimal payment) {
    }
}
