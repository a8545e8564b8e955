package org.sibledger.core.bond;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.core.mechanism.TermsHistory;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What makes a measurement acceptable for a bond: the kind its payment mechanism pays for, metrics the terms
 * declare, and nothing ahead of its time: no cohort result before the cohort exists, no claim for a participant
 * who is not enrolled. Only outcomes inside the contract's outcome window pay (DOMAIN.md): a claim's
 * {@code achievedOn}, and a result's {@code periodEnd}, fall between the service start and the outcomes end
 * ({@link BondTerms#outcomesUntil()}), never after the day of submission (a result without a period end is dated by
 * its submission, accepted only where that day cannot misdate it), and a claim never before its
 * participant's cohort started (participants are often enrolled in the ledger later than in life, so the cohort's
 * start, not the day of the enrolment command, is the earliest date an outcome can have).
 * Its figures, dates and what it would be priced at stay within {@link Bounds}, so that neither the measurement nor
 * a payout it triggers overflows a read model.
 */
final class MeasurementRules {

    private MeasurementRules() {
    }

    /**
     * @param cohorts  each cohort of the bond by id (its size and the day it started)
     * @param versions the bond's terms as structured and as amended, each from its effective date
     */
    static void check(BondTerms terms, List<TermsHistory.Version> versions, Measurement measurement,
                      Map<String, Cohorts.Cohort> cohorts, Map<String, String> participants, LocalDate today) {
        if (measurement == null) {
            throw Refusals.invalid("missing-field", "/measurement", "is required").with("/measurement");
        }
        PaymentMechanism mechanism = terms.paymentMechanism();
        if (measurement.periodEnd() != null) {
            requireInWindow(terms, "/measurement/periodEnd", measurement.periodEnd(), today);
        } else if (!(measurement instanceof Measurement.OutcomeClaims)) {
            requireDatedBySubmission(terms, versions, today);
        }
        if (measurement instanceof Measurement.OutcomeClaims claims) {
            requireMechanism(mechanism instanceof PaymentMechanism.RateCard, "OUTCOME_CLAIMS", mechanism);
            checkClaims(terms, claims, (PaymentMechanism.RateCard) mechanism, cohorts, participants, today);
        } else if (measurement instanceof Measurement.CohortResult result) {
            requireMechanism(mechanism instanceof PaymentMechanism.ThresholdVsComparison, "COHORT_RESULT", mechanism);
            PaymentMechanism.ThresholdVsComparison threshold = (PaymentMechanism.ThresholdVsComparison) mechanism;
            if (result.cohortId() == null || !cohorts.containsKey(result.cohortId())) {
                throw Refusals.notFound("unknown-cohort", "No cohort '" + result.cohortId()
                        + "' on this bond: open the cohort before submitting its results").with(result.cohortId());
            }
            if (!threshold.metric().equals(result.metric())) {
                throw Refusals.invalid("unknown-metric", "/measurement/metric", "This bond pays for '"
                        + threshold.metric() + "', not '" + result.metric() + "'")
                                .worded("cohort", result.metric(), threshold.metric());
            }
            Refusals.requireText("/measurement/period", result.period());
            requireFigure("/measurement/treated", result.treated());
            requireFigure("/measurement/comparison", result.comparison());
            if (result.comparison().signum() == 0) {
                throw Refusals.invalid("invalid-measurement", "/measurement/comparison", "must be above zero")
                        .worded("positive", "/measurement/comparison");
            }
            checkPricedWithin(threshold, result, cohorts.get(result.cohortId()).size());
        } else if (measurement instanceof Measurement.TargetResult result) {
            boolean targeted = mechanism instanceof PaymentMechanism.WeightedTargets
                    || mechanism instanceof PaymentMechanism.Graduated;
            requireMechanism(targeted, "TARGET_RESULT", mechanism);
            if (!mechanism.metricIds().contains(result.metric())) {
                throw Refusals.invalid("unknown-metric", "/measurement/metric", "'" + result.metric()
                        + "' is not a metric this bond pays for").with(result.metric());
            }
            requireFigure("/measurement/achieved", result.achieved());
        } else if (measurement instanceof Measurement.Savings savings) {
            requireMechanism(mechanism instanceof PaymentMechanism.SavingsShare, "SAVINGS", mechanism);
            Refusals.requireAmount("/measurement/amount", savings.amount(), terms.currency());
            Refusals.requireText("/measurement/period", savings.period());
        }
    }

    private static void checkClaims(BondTerms terms, Measurement.OutcomeClaims claims, PaymentMechanism.RateCard rateCard,
                                    Map<String, Cohorts.Cohort> cohorts, Map<String, String> participants,
                                    LocalDate today) {
        if (claims.claims().isEmpty()) {
            throw Refusals.invalid("missing-field", "/measurement/claims", "at least one claim is required")
                    .worded("claims");
        }
        for (int i = 0; i < claims.claims().size(); i++) {
            Measurement.OutcomeClaim claim = claims.claims().get(i);
            String at = "/measurement/claims/" + i;
            if (claim == null) {
                throw Refusals.invalid("missing-field", at, "a claim is required").with(at);
            }
            if (claim.participantRef() == null || !participants.containsKey(claim.participantRef())) {
                throw Refusals.invalid("unknown-participant", at + "/participantRef", "participant '"
                        + claim.participantRef() + "' is not enrolled in any cohort of this bond")
                                .with(claim.participantRef());
            }
            if (!rateCard.metricIds().contains(claim.metric())) {
                throw Refusals.invalid("unknown-metric", at + "/metric", "'" + claim.metric()
                        + "' has no price on this bond's rate card").with(claim.metric());
            }
            Refusals.requireDate(at + "/achievedOn", claim.achievedOn());
            requireInWindow(terms, at + "/achievedOn", claim.achievedOn(), today);
            Cohorts.Cohort cohort = cohorts.get(participants.get(claim.participantRef()));
            LocalDate cohortStart = cohort == null ? null : cohort.startDate();
            if (cohortStart != null && claim.achievedOn().isBefore(cohortStart)) {
                throw Refusals.invalid("before-enrolment", at + "/achievedOn", "participant '" + claim.participantRef()
                        + "' is in cohort '" + participants.get(claim.participantRef()) + "', which started on "
                        + cohortStart + ": an outcome on " + claim.achievedOn() + " came before it")
                                .with(claim.participantRef(), participants.get(claim.participantRef()), cohortStart, claim.achievedOn());
            }
        }
    }

    /**
     * A result without a period end is dated by the day it is submitted, which prices it and places it in the outcome
     * window. That stands in for the period's end only where it cannot say otherwise than the period would: inside the
     * outcome window (a result submitted after the window closed may measure a period inside it, or not), and before
     * any amendment takes effect (after one, the period may have ended under the terms it replaced). Elsewhere the
     * period's end is required.
     */
    private static void requireDatedBySubmission(BondTerms terms, List<TermsHistory.Version> versions, LocalDate today) {
        if (today.isBefore(terms.serviceStart()) || today.isAfter(terms.outcomesUntil())) {
            throw Refusals.invalid("period-end-required", "/measurement/periodEnd", "give the last day of the period"
                    + " the result measures: submitted on " + today + ", outside the outcome window of this bond ("
                    + terms.serviceStart() + " to " + terms.outcomesUntil() + "), the day of submission cannot date it")
                            .worded("window", today, terms.serviceStart(), terms.outcomesUntil());
        }
        for (TermsHistory.Version version : versions) {
            if (version.effectiveFrom() != null && !version.effectiveFrom().isAfter(today)) {
                throw Refusals.invalid("period-end-required", "/measurement/periodEnd", "give the last day of the"
                        + " period the result measures: the terms of this bond were amended from "
                        + version.effectiveFrom() + ", and the period's end decides which terms price the result")
                                .worded("amended", version.effectiveFrom());
            }
        }
    }

    /** An outcome's date is inside the contract's outcome window and not after the day it is submitted. */
    private static void requireInWindow(BondTerms terms, String pointer, LocalDate date, LocalDate today) {
        if (date.isAfter(today)) {
            throw Refusals.invalid("future-outcome", pointer, date + " is in the future (today is " + today
                    + "): an outcome is submitted once it has happened").with(date, today);
        }
        if (date.isBefore(terms.serviceStart()) || date.isAfter(terms.outcomesUntil())) {
            throw Refusals.invalid("outside-outcome-window", pointer, date + " is outside the outcome window of this"
                    + " bond, " + terms.serviceStart() + " to " + terms.outcomesUntil() + ": only outcomes inside it pay")
                            .with(date, terms.serviceStart(), terms.outcomesUntil());
        }
    }

    private static void requireMechanism(boolean matches, String kind, PaymentMechanism mechanism) {
        if (!matches) {
            throw Refusals.invalid("wrong-measurement-kind", "/measurement/type", "A " + kind
                    + " measurement does not fit this bond's payment mechanism, " + contractName(mechanism)
                    + ", which takes " + kindTaken(mechanism) + " measurements")
                            .with(kind, contractName(mechanism), kindTaken(mechanism));
        }
    }

    /** The mechanism as the terms document names it (its "type"), never a type of the code. */
    private static String contractName(PaymentMechanism mechanism) {
        if (mechanism instanceof PaymentMechanism.RateCard) {
            return "RATE_CARD";
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison) {
            return "THRESHOLD_VS_COMPARISON";
        } else if (mechanism instanceof PaymentMechanism.WeightedTargets) {
            return "WEIGHTED_TARGETS";
        } else if (mechanism instanceof PaymentMechanism.SavingsShare) {
            return "SAVINGS_SHARE";
        }
        return "GRADUATED";
    }

    /** The kind of measurement the mechanism prices. */
    private static String kindTaken(PaymentMechanism mechanism) {
        if (mechanism instanceof PaymentMechanism.RateCard) {
            return "OUTCOME_CLAIMS";
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison) {
            return "COHORT_RESULT";
        } else if (mechanism instanceof PaymentMechanism.SavingsShare) {
            return "SAVINGS";
        }
        return "TARGET_RESULT";
    }

    /** A figure that is given, not negative, and within {@link Bounds}. */
    private static void requireFigure(String pointer, BigDecimal value) {
        if (value == null) {
            throw Refusals.invalid("missing-field", pointer, "is required").with(pointer);
        }
        if (value.signum() < 0) {
            throw Refusals.invalid("invalid-measurement", pointer, "must not be negative").worded("negative", pointer);
        }
        Bounds.require(Bounds.figure(pointer, value));
    }

    /**
     * A cohort result is stored with its improvement (treated / comparison - 1) and priced at price per unit x
     * |treated - comparison| x cohort size / unit scale; both must stay within {@link Bounds} however small the
     * comparison or the unit scale, or the read models could not store the measurement or its payout.
     */
    private static void checkPricedWithin(PaymentMechanism.ThresholdVsComparison threshold,
                                          Measurement.CohortResult result, Integer cohortSize) {
        if (result.treated().compareTo(result.comparison().multiply(Bounds.LIMIT)) >= 0) {
            throw Refusals.invalid(Bounds.NUMBER_OUT_OF_RANGE, "/measurement/comparison", "treated is 10^"
                    + Bounds.INTEGER_DIGITS + " times comparison or more: the improvement cannot be stored")
                            .worded("improvement");
        }
        BigDecimal priced = priced(threshold, result, cohortSize);
        if (priced.compareTo(Bounds.LIMIT) >= 0) {
            throw Refusals.invalid(Bounds.AMOUNT_OUT_OF_RANGE, "/measurement/treated", "priced at "
                    + Bounds.shown(threshold.pricePerUnit()) + " per unit of " + Bounds.shown(threshold.unitScale())
                    + " for a cohort of " + cohortSize + ", this result comes to " + Bounds.shown(priced)
                    + ", more than the largest amount the ledger books (below 10^" + Bounds.INTEGER_DIGITS + ")")
                            .worded("priced", Bounds.shown(threshold.pricePerUnit()), Bounds.shown(threshold.unitScale()), cohortSize, Bounds.shown(priced));
        }
    }

    /**
     * New terms price every cohort result already submitted or approved (a result is paid for when approved, or at
     * maturity): a variation that would price one of them beyond {@link Bounds} is refused, as the result would be.
     */
    static void checkRepricing(BondTerms amended, Collection<Measurement> submitted, Map<String, Integer> cohortSizes) {
        if (!(amended.paymentMechanism() instanceof PaymentMechanism.ThresholdVsComparison threshold)) {
            return;
        }
        for (Measurement measurement : submitted) {
            if (measurement instanceof Measurement.CohortResult result && result.treated() != null
                    && result.comparison() != null) {
                BigDecimal priced = priced(threshold, result, cohortSizes.get(result.cohortId()));
                if (priced.compareTo(Bounds.LIMIT) >= 0) {
                    throw Refusals.invalid(Bounds.AMOUNT_OUT_OF_RANGE, "/terms/paymentMechanism/pricePerUnit",
                            "the new terms would price the result of cohort '" + result.cohortId() + "' at "
                                    + Bounds.shown(priced) + ", more than the largest amount the ledger books (below 10^"
                                    + Bounds.INTEGER_DIGITS + ")")
                                            .worded("repriced", result.cohortId(), Bounds.shown(priced));
                }
            }
        }
    }

    /** What a result comes to before any cap, rounded to 16 digits; zero when it cannot be priced. */
    private static BigDecimal priced(PaymentMechanism.ThresholdVsComparison threshold, Measurement.CohortResult result,
                                     Integer cohortSize) {
        if (cohortSize == null || threshold.pricePerUnit() == null || threshold.unitScale() == null
                || threshold.unitScale().signum() <= 0) {
            return BigDecimal.ZERO;
        }
        return result.treated().subtract(result.comparison()).abs()
                .multiply(BigDecimal.valueOf(cohortSize)).multiply(threshold.pricePerUnit().abs())
                .divide(threshold.unitScale(), MathContext.DECIMAL64);
    }
}
