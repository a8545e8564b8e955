package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Bond aggregate asks of the payment mechanisms: the entitlement of everything approved, booked through the
 * caps, which {@link PayoutBook} compares with what is booked (see the package's documentation for the rule).
 *
 * <p>How it keeps its invariants: the mechanism computes the cumulative entitlement of all approvals in order, per
 * cause, with its own caps (per participant, then per metric or mechanism cap), each approval priced by the terms in
 * force on its date; {@link CapChain} books it to the minor unit and applies each payer's commitment, then the
 * contract cap, per cause and payer. So the same approvals always give the same lines under the same keys; a
 * measurement approved twice (same id) adds nothing the second time; the lines add up to the booked cumulative
 * total; no cap is ever exceeded; a claim held back by a cap still gives a line, with payable 0 and the rest in
 * {@code capped}. Within one set of approvals a worse later result pays nothing more and takes nothing back; only a
 * change to the set itself (a result cancelled on dispute) can lower the entitlement.
 *
 * <p>Callers pass every measurement approved and not overturned, in approval order, including any a later
 * correction replaced: the mechanism takes the latest result for each cohort, metric or period.
 * {@link #newlyDue} and {@link #dueAtMaturity} give the difference a single approval or maturity makes to a set that
 * only grows (the mechanisms' own tests use them).
 */
public final class PaymentMechanisms {

    private static final int NOT_MATURED = -1;

    private PaymentMechanisms() {
    }

    /** Payouts that become due because {@code newlyApproved} was approved after {@code alreadyApproved} (in approval order). */
    public static List<DuePayout> newlyDue(BondTerms terms, PricingFacts facts, List<ApprovedMeasurement> alreadyApproved,
                                           ApprovedMeasurement newlyApproved) {
        // A bond already matured is taken to have matured after everything approved before this measurement.
        int maturedAfter = facts.matured() ? alreadyApproved.size() : NOT_MATURED;
        List<ApprovedMeasurement> after = new ArrayList<>(alreadyApproved);
        after.add(newlyApproved);
        return difference(booked(terms, facts, alreadyApproved, maturedAfter), booked(terms, facts, after, maturedAfter));
    }

    /** Payouts that become due when the bond matures (e.g. the pooled threshold payment), given everything approved; {@code facts.matured()} is true. */
    public static List<DuePayout> dueAtMaturity(BondTerms terms, PricingFacts facts, List<ApprovedMeasurement> approved) {
        if (!facts.matured()) {
            throw new IllegalArgumentException("maturity payments are priced only with facts of a matured bond");
        }
        return difference(booked(terms, facts, approved, NOT_MATURED), booked(terms, facts, approved, approved.size()));
    }

    /**
     * The entitlement of everything approved now, in approval order, booked through the caps: one line per cause and
     * payer. On a matured bond, maturity counts after every approval. {@link PayoutBook} compares it with what is booked.
     */
    public static List<DuePayout> entitlement(BondTerms terms, PricingFacts facts, List<ApprovedMeasurement> approved) {
        return entitlement(terms, TermsHistory.of(terms.paymentMechanism()), facts, approved);
    }

    /** The entitlement as above, each outcome priced by the version of the terms in force on its date. */
    public static List<DuePayout> entitlement(BondTerms terms, TermsHistory history, PricingFacts facts,
                                              List<ApprovedMeasurement> approved) {
        return booked(terms, history, facts, approved, facts.matured() ? approved.size() : NOT_MATURED);
    }

    /**
     * The facts that price this bond's outcomes, the rest left out: cohort sizes for a threshold mechanism, funded
     * capital for a share of savings, maturity for all. Two sets of facts with the same part give the same
     * entitlement for the same approvals, so a running entitlement priced with one serves the other.
     */
    public static PricingFacts pricedBy(BondTerms terms, PricingFacts facts) {
        PaymentMechanism mechanism = terms.paymentMechanism();
        return new PricingFacts(mechanism instanceof PaymentMechanism.ThresholdVsComparison ? facts.cohortSizes() : null,
                mechanism instanceof PaymentMechanism.SavingsShare ? facts.fundedCapital() : null, facts.matured());
    }

    /** True when funded capital prices the outcomes (share of savings, Utah form): funding then changes what is due. */
    public static boolean pricedByFunding(BondTerms terms) {
        return terms.paymentMechanism() instanceof PaymentMechanism.SavingsShare savings && savings.tiers().isEmpty();
    }

    /** The booked cumulative lines, one per cause and payer, with maturity after the first {@code maturedAfter} approvals. */
    static List<DuePayout> booked(BondTerms terms, PricingFacts facts, List<ApprovedMeasurement> approved,
                                  int maturedAfter) {
        return booked(terms, TermsHistory.of(terms.paymentMechanism()), facts, approved, maturedAfter);
    }

    private static List<DuePayout> booked(BondTerms terms, TermsHistory history, PricingFacts facts,
                                          List<ApprovedMeasurement> approved, int maturedAfter) {
        return new CapChain(terms).book(mechanism(terms, history).cumulative(approved, facts, maturedAfter));
    }

    static Mechanism mechanism(BondTerms terms, TermsHistory history) {
        PaymentMechanism mechanism = terms.paymentMechanism();
        if (mechanism instanceof PaymentMechanism.RateCard rateCard) {
            return new RateCardMechanism(terms, rateCard, history);
        }
        if (mechanism instanceof PaymentMechanism.ThresholdVsComparison threshold) {
            return new ThresholdVsComparisonMechanism(terms, threshold, history);
        }
        if (mechanism instanceof PaymentMechanism.WeightedTargets targets) {
            return new WeightedTargetsMechanism(terms, targets, history);
        }
        if (mechanism instanceof PaymentMechanism.SavingsShare savings) {
            return new SavingsShareMechanism(terms, savings, history);
        }
        if (mechanism instanceof PaymentMechanism.Graduated graduated) {
            return new GraduatedMechanism(terms, graduated, history);
        }
        throw new IllegalArgumentException("bond '" + terms.bondId() + "' has no payment mechanism");
    }

    private static List<DuePayout> difference(List<DuePayout> before, List<DuePayout> after) {
        Map<String, DuePayout> earlier = byKey(before);
        byKey(after); // refuses a duplicate key before any line is handed out
        List<DuePayout> due = new ArrayList<>();
        for (DuePayout now : after) {
            DuePayout was = earlier.get(now.key());
            BigDecimal payable = was == null ? now.payable() : now.payable().subtract(was.payable()).max(BigDecimal.ZERO);
            BigDecimal capped = was == null ? now.capped() : now.capped().subtract(was.capped()).max(BigDecimal.ZERO);
            if (payable.signum() != 0 || capped.signum() != 0) {
                due.add(new DuePayout(now.key(), now.measurementId(), now.metric(), now.cohortId(),
                        now.participantRef(), now.payerId(), payable.add(capped), payable, capped, now.rule(),
                        now.termsVersion()));
            }
        }
        return due;
    }

    private static Map<String, DuePayout> byKey(List<DuePayout> lines) {
        Map<String, DuePayout> byKey = new HashMap<>();
        for (DuePayout line : lines) {
            if (byKey.put(line.key(), line) != null) {
                throw new IllegalStateException("two payouts share the key " + line.key());
            }
        }
        return byKey;
    }
}
