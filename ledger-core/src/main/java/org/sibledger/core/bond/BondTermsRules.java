package org.sibledger.core.bond;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.core.waterfall.TrancheRules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The consistency rules of a terms document beyond its JSON shape: a real currency, money in that currency's minor
 * units, a service period that ends after it starts, payment rules that name declared metrics, payer shares and
 * target weights that add up to one. All violations are reported together, each at its JSON Pointer.
 * <p>
 * Before those, every amount, figure, count and date of the terms must be within {@link Bounds}; values out of range
 * are refused together under the code of the first ({@code amount-out-of-range}, {@code number-out-of-range} or
 * {@code date-out-of-range}), since the consistency of absurd numbers means nothing.
 */
public final class BondTermsRules {

    private BondTermsRules() {
    }

    public static void check(BondTerms terms) {
        List<Bounds.OutOfRange> outOfRange = outOfRange(terms);
        if (!outOfRange.isEmpty()) {
            throw Bounds.refusal(outOfRange);
        }
        List<FieldViolation> violations = consistency(terms);
        if (!violations.isEmpty()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-terms",
                    "The bond terms are inconsistent: " + violations.get(0).pointer() + " "
                            + violations.get(0).message()
                            + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""),
                    violations)
                            .worded("inconsistent", violations.get(0).pointer(), violations.get(0).message(), violations.size() - 1);
        }
    }

    /** Every violation of the terms: values out of range, then inconsistencies. */
    public static List<FieldViolation> violations(BondTerms terms) {
        List<FieldViolation> out = new ArrayList<>(outOfRange(terms).stream().map(Bounds.OutOfRange::violation).toList());
        out.addAll(consistency(terms));
        return out;
    }

    /**
     * Every amount, figure, count and date of the terms outside {@link Bounds}: money below 10^15, other decimals
     * within 15 integer digits and 10 decimals, shares of savings from 0 to 1, ranks up to 10,000,000, the service
     * period within 2000 to 2100.
     */
    static List<Bounds.OutOfRange> outOfRange(BondTerms terms) {
        List<Bounds.OutOfRange> out = new ArrayList<>();
        add(out, Bounds.money("/contractCap", terms.contractCap()));
        add(out, Bounds.date("/serviceStart", terms.serviceStart()));
        add(out, Bounds.date("/serviceEnd", terms.serviceEnd()));
        if (terms.parties() != null) {
            for (int i = 0; i < terms.parties().outcomePayers().size(); i++) {
                BondTerms.OutcomePayer payer = terms.parties().outcomePayers().get(i);
                if (payer != null) {
                    add(out, Bounds.figure("/parties/outcomePayers/" + i + "/share", payer.share()));
                    add(out, Bounds.money("/parties/outcomePayers/" + i + "/cap", payer.cap()));
                }
            }
        }
        String at = "/paymentMechanism/";
        PaymentMechanism mechanism = terms.paymentMechanism();
        if (mechanism instanceof PaymentMechanism.RateCard rateCard) {
            for (int i = 0; i < rateCard.prices().size(); i++) {
                PaymentMechanism.Price price = rateCard.prices().get(i);
                if (price != null) {
                    add(out, Bounds.money(at + "prices/" + i + "/price", price.price()));
                    add(out, Bounds.money(at + "prices/" + i + "/metricCap", price.metricCap()));
                }
            }
            add(out, Bounds.money(at + "perParticipantCap", rateCard.perParticipantCap()));
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison threshold) {
            add(out, Bounds.figure(at + "cohortThreshold", threshold.cohortThreshold()));
            add(out, Bounds.figure(at + "pooledThreshold", threshold.pooledThreshold()));
            add(out, Bounds.money(at + "pricePerUnit", threshold.pricePerUnit()));
            add(out, Bounds.figure(at + "unitScale", threshold.unitScale()));
            add(out, Bounds.money(at + "cap", threshold.cap()));
        } else if (mechanism instanceof PaymentMechanism.WeightedTargets targets) {
            add(out, Bounds.money(at + "maximumOutcomePayment", targets.maximumOutcomePayment()));
            for (int i = 0; i < targets.targets().size(); i++) {
                PaymentMechanism.Target target = targets.targets().get(i);
                if (target != null) {
                    add(out, Bounds.figure(at + "targets/" + i + "/target", target.target()));
                    add(out, Bounds.figure(at + "targets/" + i + "/weight", target.weight()));
                }
            }
        } else if (mechanism instanceof PaymentMechanism.SavingsShare savings) {
            add(out, Bounds.fraction(at + "shareUntilRepaid", savings.shareUntilRepaid()));
            add(out, Bounds.fraction(at + "shareAfterRepaid", savings.shareAfterRepaid()));
            add(out, Bounds.figure(at + "repaymentInterestRate", savings.repaymentInterestRate()));
            for (int i = 0; i < savings.tiers().size(); i++) {
                PaymentMechanism.SavingsTier tier = savings.tiers().get(i);
                if (tier != null) {
                    add(out, Bounds.money(at + "tiers/" + i + "/upTo", tier.upTo()));
                    add(out, Bounds.fraction(at + "tiers/" + i + "/share", tier.share()));
                }
            }
            add(out, Bounds.money(at + "cap", savings.cap()));
        } else if (mechanism instanceof PaymentMechanism.Graduated graduated) {
            for (int i = 0; i < graduated.tiers().size(); i++) {
                PaymentMechanism.GraduatedTier tier = graduated.tiers().get(i);
                if (tier != null) {
                    add(out, Bounds.figure(at + "tiers/" + i + "/atLeast", tier.atLeast()));
                    add(out, Bounds.money(at + "tiers/" + i + "/payment", tier.payment()));
                }
            }
        }
        if (terms.investorTerms() != null) {
            for (int i = 0; i < terms.investorTerms().tranches().size(); i++) {
                BondTerms.Tranche tranche = terms.investorTerms().tranches().get(i);
                if (tranche != null) {
                    String tr = "/investorTerms/tranches/" + i + "/";
                    if (tranche.rank() > Bounds.MAX_COUNT) { // a rank below 1 is TrancheRules' to refuse
                        add(out, Bounds.count(tr + "rank", tranche.rank(), 1));
                    }
                    add(out, Bounds.figure(tr + "returnCapIrr", tranche.returnCapIrr()));
                    add(out, Bounds.figure(tr + "guaranteedShareOfPrincipal", tranche.guaranteedShareOfPrincipal()));
                }
            }
        }
        return out;
    }

    private static void add(List<Bounds.OutOfRange> out, Bounds.OutOfRange outOfRange) {
        if (outOfRange != null) {
            out.add(outOfRange);
        }
    }

    private static List<FieldViolation> consistency(BondTerms terms) {
        List<FieldViolation> out = new ArrayList<>();
        if (!Syntax.isBondId(terms.bondId())) {
            out.add(new FieldViolation("/bondId", "must be 3 to 64 characters of a-z, 0-9 and '-'"));
        }
        if (terms.name() == null || terms.name().isBlank()) {
            out.add(new FieldViolation("/name", "is required"));
        }
        int minorUnits = 2;
        if (terms.currency() == null || !isIsoCurrency(terms.currency())) {
            out.add(new FieldViolation("/currency", "'" + terms.currency() + "' is not an ISO 4217 currency code"));
        } else {
            minorUnits = Math.max(Currency.getInstance(terms.currency()).getDefaultFractionDigits(), 0);
        }
        checkMoney(out, "/contractCap", terms.contractCap(), minorUnits);
        if (terms.serviceStart() == null) {
            out.add(new FieldViolation("/serviceStart", "is required"));
        }
        if (terms.serviceEnd() == null) {
            out.add(new FieldViolation("/serviceEnd", "is required"));
        }
        if (terms.serviceStart() != null && terms.serviceEnd() != null
                && !terms.serviceEnd().isAfter(terms.serviceStart())) {
            out.add(new FieldViolation("/serviceEnd", "must be after serviceStart " + terms.serviceStart()));
        }
        if (terms.outcomesEnd() != null && terms.serviceEnd() != null && terms.outcomesEnd().isBefore(terms.serviceEnd())) {
            out.add(new FieldViolation("/outcomesEnd", "must be on or after serviceEnd " + terms.serviceEnd()
                    + " (outcomes count to the end of the service, or later with a tracking tail)"));
        }
        checkParties(out, terms.parties(), minorUnits);
        Set<String> metricIds = new HashSet<>();
        for (int i = 0; i < terms.metrics().size(); i++) {
            BondTerms.Metric metric = terms.metrics().get(i);
            if (!metricIds.add(metric.id())) {
                out.add(new FieldViolation("/metrics/" + i + "/id", "duplicate metric '" + metric.id() + "'"));
            }
        }
        if (terms.metrics().isEmpty()) {
            out.add(new FieldViolation("/metrics", "at least one metric is required"));
        }
        checkMechanism(out, terms.paymentMechanism(), metricIds, minorUnits);
        if (terms.investorTerms() != null) {
            out.addAll(TrancheRules.violations(terms.investorTerms()));
        }
        return out;
    }

    private static void checkParties(List<FieldViolation> out, BondTerms.Parties parties, int minorUnits) {
        if (parties == null) {
            out.add(new FieldViolation("/parties", "is required"));
            return;
        }
        if (parties.arranger() == null || parties.arranger().isBlank()) {
            out.add(new FieldViolation("/parties/arranger", "is required"));
        }
        if (parties.outcomePayers().isEmpty()) {
            out.add(new FieldViolation("/parties/outcomePayers", "at least one outcome payer is required"));
        }
        if (parties.evaluators().isEmpty()) {
            out.add(new FieldViolation("/parties/evaluators", "at least one evaluator is required"));
        }
        BigDecimal shares = BigDecimal.ZERO;
        Set<String> payerIds = new HashSet<>();
        for (int i = 0; i < parties.outcomePayers().size(); i++) {
            BondTerms.OutcomePayer payer = parties.outcomePayers().get(i);
            if (!payerIds.add(payer.id())) {
                out.add(new FieldViolation("/parties/outcomePayers/" + i + "/id", "duplicate payer '" + payer.id() + "'"));
            }
            if (payer.leads() && parties.outcomePayers().subList(0, i).stream().anyMatch(BondTerms.OutcomePayer::leads)) {
                out.add(new FieldViolation("/parties/outcomePayers/" + i + "/lead", "at most one payer leads"));
            }
            if (payer.share() == null || payer.share().signum() <= 0 || payer.share().compareTo(BigDecimal.ONE) > 0) {
                out.add(new FieldViolation("/parties/outcomePayers/" + i + "/share", "must be above 0 and at most 1"));
            } else {
                shares = shares.add(payer.share());
            }
            checkMoney(out, "/parties/outcomePayers/" + i + "/cap", payer.cap(), minorUnits);
        }
        if (!parties.outcomePayers().isEmpty() && shares.compareTo(BigDecimal.ONE) != 0) {
            out.add(new FieldViolation("/parties/outcomePayers", "payer shares must add up to 1, not " + shares.toPlainString()));
        }
    }

    private static void checkMechanism(List<FieldViolation> out, PaymentMechanism mechanism, Set<String> metricIds,
                                       int minorUnits) {
        if (mechanism == null) {
            out.add(new FieldViolation("/paymentMechanism", "is required"));
            return;
        }
        List<String> referenced = mechanism.metricIds();
        for (int i = 0; i < referenced.size(); i++) {
            if (!metricIds.contains(referenced.get(i))) {
                out.add(new FieldViolation("/paymentMechanism/" + metricPointer(mechanism, i),
                        "names metric '" + referenced.get(i) + "', which the terms do not declare"));
            }
        }
        if (mechanism instanceof PaymentMechanism.RateCard rateCard) {
            for (int i = 0; i < rateCard.prices().size(); i++) {
                checkMoney(out, "/paymentMechanism/prices/" + i + "/price", rateCard.prices().get(i).price(), minorUnits);
                checkMoney(out, "/paymentMechanism/prices/" + i + "/metricCap", rateCard.prices().get(i).metricCap(), minorUnits);
            }
            checkMoney(out, "/paymentMechanism/perParticipantCap", rateCard.perParticipantCap(), minorUnits);
        } else if (mechanism instanceof PaymentMechanism.WeightedTargets targets) {
            BigDecimal weights = targets.targets().stream().map(PaymentMechanism.Target::weight)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            if (weights.compareTo(BigDecimal.ONE) != 0) {
                out.add(new FieldViolation("/paymentMechanism/targets", "weights must add up to 1, not " + weights.toPlainString()));
            }
            checkMoney(out, "/paymentMechanism/maximumOutcomePayment", targets.maximumOutcomePayment(), minorUnits);
            for (int i = 0; i < targets.targets().size(); i++) {
                checkPositive(out, "/paymentMechanism/targets/" + i + "/target", targets.targets().get(i).target());
            }
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison threshold) {
            checkMoney(out, "/paymentMechanism/pricePerUnit", threshold.pricePerUnit(), minorUnits);
            checkPositive(out, "/paymentMechanism/unitScale", threshold.unitScale());
            checkMoney(out, "/paymentMechanism/cap", threshold.cap(), minorUnits);
        } else if (mechanism instanceof PaymentMechanism.SavingsShare savings) {
            boolean utah = savings.shareUntilRepaid() != null;
            boolean tiered = !savings.tiers().isEmpty();
            if (utah == tiered) {
                out.add(new FieldViolation("/paymentMechanism",
                        "give either shareUntilRepaid/shareAfterRepaid/repaymentInterestRate or tiers, not both or neither"));
            }
            for (int i = 0; i < savings.tiers().size(); i++) {
                checkMoney(out, "/paymentMechanism/tiers/" + i + "/upTo", savings.tiers().get(i).upTo(), minorUnits);
            }
            checkMoney(out, "/paymentMechanism/cap", savings.cap(), minorUnits);
        } else if (mechanism instanceof PaymentMechanism.Graduated graduated) {
            for (int i = 1; i < graduated.tiers().size(); i++) {
                if (graduated.tiers().get(i).atLeast().compareTo(graduated.tiers().get(i - 1).atLeast()) <= 0) {
                    out.add(new FieldViolation("/paymentMechanism/tiers/" + i + "/atLeast", "tiers must rise strictly"));
                }
            }
            for (int i = 0; i < graduated.tiers().size(); i++) {
                BigDecimal payment = graduated.tiers().get(i).payment();
                if (payment != null && Bounds.decimals(payment) > minorUnits) {
                    out.add(new FieldViolation("/paymentMechanism/tiers/" + i + "/payment",
                            "has more decimals than the currency's " + minorUnits + " minor units"));
                }
            }
        }
    }

    private static String metricPointer(PaymentMechanism mechanism, int index) {
        if (mechanism instanceof PaymentMechanism.RateCard) {
            return "prices/" + index + "/metric";
        }
        if (mechanism instanceof PaymentMechanism.WeightedTargets) {
            return "targets/" + index + "/metric";
        }
        return "metric";
    }

    /** A divisor of the mechanism (a target, a unit scale) is above zero, so that pricing never divides by it. */
    private static void checkPositive(List<FieldViolation> out, String pointer, BigDecimal value) {
        if (value != null && value.signum() <= 0) {
            out.add(new FieldViolation(pointer, "must be positive"));
        }
    }

    private static void checkMoney(List<FieldViolation> out, String pointer, BigDecimal amount, int minorUnits) {
        if (amount == null) {
            return;
        }
        if (amount.signum() <= 0) {
            out.add(new FieldViolation(pointer, "must be positive"));
        }
        if (Bounds.decimals(amount) > minorUnits) {
            out.add(new FieldViolation(pointer, "has more decimals than the currency's " + minorUnits + " minor units"));
        }
    }

    private static boolean isIsoCurrency(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
