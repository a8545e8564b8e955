package org.sibledger.core.bond;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.core.mechanism.ApprovedMeasurement;
import org.sibledger.core.mechanism.DuePayout;
import org.sibledger.core.mechanism.PaymentMechanisms;
import org.sibledger.core.mechanism.PayoutBook;
import org.sibledger.core.mechanism.PricingFacts;
import org.sibledger.core.mechanism.TermsHistory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is due on a bond now: the entitlement of everything approved, through the caps, against what is booked and
 * live ({@link PayoutBook}). Runs after every change to what is approved or to what prices it, so a positive
 * difference is triggered at once and a negative one cancels unsettled lines or records a credit.
 */
final class Booking {

    private Booking() {
    }

    /**
     * @param versions  the payment mechanism as structured and as amended, each from its effective date
     * @param forShares per measurement, the payers whose share it is approved for (absent: every payer's)
     * @param disputed  measurements under dispute, whose lines are left as they are
     */
    static PayoutBook.Plan plan(BondTerms terms, List<TermsHistory.Version> versions, PricingFacts facts,
                                List<ApprovedMeasurement> approvals, Map<String, List<String>> forShares,
                                Collection<PayoutBook.Line> live, Set<String> disputed) {
        return PayoutBook.reconcile(terms.currency(), entitlement(terms, TermsHistory.of(versions), facts, approvals,
                forShares), live, disputed);
    }

    /**
     * The entitlement of what is approved, each payer's lines from what is approved for its share: where every
     * approval is for every payer (one payer, a lead payer, or all payers approved) that is one computation.
     */
    private static List<DuePayout> entitlement(BondTerms terms, TermsHistory history, PricingFacts facts,
                                               List<ApprovedMeasurement> approvals, Map<String, List<String>> forShares) {
        List<String> payers = terms.parties().outcomePayers().stream().map(BondTerms.OutcomePayer::id).toList();
        if (approvals.stream().allMatch(a -> forShares.getOrDefault(a.measurementId(), payers).containsAll(payers))) {
            return PaymentMechanisms.entitlement(terms, history, facts, List.copyOf(approvals));
        }
        List<DuePayout> lines = new ArrayList<>();
        for (String payer : payers) {
            List<ApprovedMeasurement> mine = approvals.stream()
                    .filter(a -> forShares.getOrDefault(a.measurementId(), payers).contains(payer)).toList();
            PaymentMechanisms.entitlement(terms, history, facts, mine).stream()
                    .filter(line -> line.payerId().equals(payer)).forEach(lines::add);
        }
        return lines;
    }
}
