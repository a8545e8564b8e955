package org.sibledger.core.mechanism;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One payment mechanism, written as a left fold over approvals in approval order: what an approval adds is decided
 * when it arrives and never changes afterwards, so the cumulative entitlement of a prefix is a prefix of the
 * cumulative entitlement of the whole, which is what makes replay and exactly-once hold by construction.
 */
interface Mechanism {

    /** A fresh running state for one bond, priced with these facts. */
    Tally start(PricingFacts facts);

    /**
     * The cumulative entitlement of {@code approved}, in order, with the mechanism's own caps applied. Maturity
     * happens right after the first {@code maturedAfter} approvals; a negative value means not matured. An
     * approval whose measurement id was already seen adds nothing.
     */
    default List<Entitlement> cumulative(List<ApprovedMeasurement> approved, PricingFacts facts, int maturedAfter) {
        Tally tally = start(facts);
        Set<String> seen = new HashSet<>();
        List<Entitlement> lines = new ArrayList<>();
        for (int i = 0; i < approved.size(); i++) {
            if (i == maturedAfter) {
                lines.addAll(tally.mature());
            }
            ApprovedMeasurement approval = approved.get(i);
            if (seen.add(approval.measurementId())) {
                lines.addAll(tally.approve(approval));
            }
        }
        if (maturedAfter >= approved.size()) {
            lines.addAll(tally.mature());
        }
        return lines;
    }

    /** The running state of a mechanism over one bond's approvals. */
    interface Tally {

        /** What this approval adds; a measurement of a kind the mechanism does not price adds nothing. */
        List<Entitlement> approve(ApprovedMeasurement approval);

        /** What maturity adds; called at most once. */
        default List<Entitlement> mature() {
            return List.of();
        }
    }
}
