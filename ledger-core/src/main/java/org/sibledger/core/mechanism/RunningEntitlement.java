package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The running state of a bond's payment mechanism over a set of approvals that only grows, in approval order: the
 * mechanism's own tally (what each cohort, metric, period or participant has earned, what its caps have granted)
 * and the cap chain's (what each payer's commitment and the contract cap have taken). Each approval is priced once,
 * when it is folded in, against that state, so what it costs does not depend on how many approvals came before it.
 *
 * <p>The lines it gives are exactly the lines {@link PaymentMechanisms#entitlement} gives for the same approvals,
 * because that is the same left fold ({@link Mechanism}) computed from the start: a prefix of approvals has a
 * prefix of the lines. So it serves only while the set grows at its end and the terms and the facts that price it
 * stay as they were; when an approval is cancelled, inserted before others, re-priced by an amendment or by a fact,
 * the entitlement of everything approved must be computed again from the start (the caller starts a new one).
 */
public final class RunningEntitlement {

    private final Mechanism.Tally tally;
    private final CapChain.Running chain;
    private final Set<String> folded = new HashSet<>();
    private boolean matured;
    private long priced;

    /** Nothing approved yet, priced by these terms, their versions and these facts. */
    public RunningEntitlement(BondTerms terms, TermsHistory history, PricingFacts facts) {
        this.tally = PaymentMechanisms.mechanism(terms, history).start(facts);
        this.chain = new CapChain(terms).running();
    }

    /**
     * The booked lines this approval adds, one per cause and payer (every payer of the terms), after everything
     * folded before; an approval of a measurement folded already adds nothing, as in {@link Mechanism#cumulative}.
     */
    public List<DuePayout> approve(ApprovedMeasurement approval) {
        if (matured) {
            throw new IllegalStateException("maturity counts after every approval; nothing is folded after it");
        }
        if (!folded.add(approval.measurementId())) {
            return List.of();
        }
        priced++;
        return chain.book(tally.approve(approval));
    }

    /** The booked lines maturity adds after everything folded (a pooled payment); at most once. */
    public List<DuePayout> mature() {
        if (matured) {
            throw new IllegalStateException("a bond matures once");
        }
        matured = true;
        return chain.book(tally.mature());
    }

    /** True when this measurement's approval is folded in. */
    public boolean contains(String measurementId) {
        return folded.contains(measurementId);
    }

    /** How many approvals the mechanism has priced in this state: one each, however many came before. */
    public long approvalsPriced() {
        return priced;
    }
}
