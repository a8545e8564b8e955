package org.sibledger.core.bond;

import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.core.mechanism.ApprovedMeasurement;
import org.sibledger.core.mechanism.DuePayout;
import org.sibledger.core.mechanism.PaymentMechanisms;
import org.sibledger.core.mechanism.PayoutBook;
import org.sibledger.core.mechanism.PricingFacts;
import org.sibledger.core.mechanism.RunningEntitlement;
import org.sibledger.core.mechanism.TermsHistory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What is due on a bond now, and the payment mechanism's running state that tells it: DOMAIN.md's rule (issue 14) is
 * that after any change to what is approved, what is due = the entitlement of everything approved, through the caps,
 * minus what is booked and live ({@link org.sibledger.core.mechanism.PayoutBook}).
 *
 * <p>Each payer's share is owed on what is approved for that payer ({@code forShares}; absent: every payer's), so
 * the state is one {@link RunningEntitlement} per payer over the approvals for its share, in approval order. Where
 * every approval is for every payer the payers' lines are those of one computation, in its order (line by line,
 * payer by payer); otherwise payer by payer. Both are today's lines in today's order, so the same commands record
 * the same events.
 *
 * <p>One more approval ({@link #approve}) is folded into the running state of the payers it is for: the mechanism
 * prices it alone and only its own lines are compared with what is booked, because a left fold never changes what
 * it gave for earlier approvals and every other unit was brought to its entitlement by the booking before (or is
 * held under dispute, and is left as it is either way). Every other change needs the whole approved set and gets
 * it ({@link #rebuild}): a result cancelled on dispute or a dispute resolved (earlier results were netted against
 * it), an approval for a payer's share placed before approvals that payer already has, an amendment or a new party
 * (the terms price everything again), a fact that prices outcomes (a cohort's size, funded capital) and maturity.
 * Those are correct rather than fast: they cost what every approval used to.
 *
 * <p>The state is the bond's, kept between its commands while the bond is held in memory, and not part of a
 * snapshot: a bond loaded from its snapshot or events computes it once, at its first booking.
 */
final class Booking {

    /** The running state and the entitlement of everything approved, computed from the start. */
    record Rebuilt(Booking booking, List<DuePayout> entitled) {
    }

    private final BondTerms terms;
    private final List<TermsHistory.Version> versions;
    private final PricingFacts pricedBy;
    private final List<String> payers;
    /** Per payer, the running entitlement over the approvals for its share, and the position of its latest one. */
    private final Map<String, RunningEntitlement> byPayer = new LinkedHashMap<>();
    private final Map<String, Integer> latestOf = new HashMap<>();
    /** Measurement id -> its position in approval order; the approvals not (yet) for every payer's share. */
    private final Map<String, Integer> positions = new HashMap<>();
    private final Set<String> partial = new HashSet<>();
    private int approvals;
    private String lastApproval;

    private Booking(BondTerms terms, List<TermsHistory.Version> versions, PricingFacts facts) {
        this.terms = terms;
        this.versions = versions;
        this.pricedBy = PaymentMechanisms.pricedBy(terms, facts);
        this.payers = terms.parties().outcomePayers().stream().map(BondTerms.OutcomePayer::id).toList();
        TermsHistory history = TermsHistory.of(versions);
        payers.forEach(payer -> byPayer.put(payer, new RunningEntitlement(terms, history, facts)));
    }

    /**
     * The entitlement of everything approved, from the start, and the running state after it.
     *
     * @param versions  the payment mechanism as structured and as amended, each from its effective date
     * @param approved  every approval not overturned, in approval order
     * @param forShares per measurement, the payers whose share it is approved for (absent: every payer's)
     */
    static Rebuilt rebuild(BondTerms terms, List<TermsHistory.Version> versions, PricingFacts facts,
                           List<ApprovedMeasurement> approved, Map<String, List<String>> forShares) {
        Booking booking = new Booking(terms, versions, facts);
        Map<String, List<DuePayout>> lines = new LinkedHashMap<>();
        booking.payers.forEach(payer -> lines.put(payer, new ArrayList<>()));
        for (int i = 0; i < approved.size(); i++) {
            ApprovedMeasurement approval = approved.get(i);
            List<String> shares = forShares.getOrDefault(approval.measurementId(), booking.payers);
            booking.positions.put(approval.measurementId(), i);
            if (!shares.containsAll(booking.payers)) {
                booking.partial.add(approval.measurementId());
            }
            for (String payer : booking.payers) {
                if (shares.contains(payer)) {
                    lines.get(payer).addAll(booking.byPayer.get(payer).approve(approval));
                    booking.latestOf.put(payer, i);
                }
            }
        }
        booking.approvals = approved.size();
        booking.lastApproval = approved.isEmpty() ? null : approved.get(approved.size() - 1).measurementId();
        if (facts.matured()) {
            booking.payers.forEach(payer -> lines.get(payer).addAll(booking.byPayer.get(payer).mature()));
        }
        return new Rebuilt(booking, booking.inOrder(lines));
    }

    /**
     * The lines the approval of {@code measurementId} (just recorded: the last approval, or one more payer's share
     * of an earlier one) adds to the entitlement, in the order a computation from the start would give them; empty
     * when this state cannot tell, because something else changed since it was built (the caller then rebuilds).
     */
    Optional<List<DuePayout>> approve(String measurementId, BondTerms terms, List<TermsHistory.Version> versions,
                                      PricingFacts facts, List<ApprovedMeasurement> approved,
                                      Map<String, List<String>> forShares) {
        if (terms != this.terms || versions != this.versions || facts.matured()
                || !PaymentMechanisms.pricedBy(terms, facts).equals(pricedBy)) {
            return Optional.empty();
        }
        int size = approved.size();
        boolean same = size == approvals && (size == 0 || approved.get(size - 1).measurementId().equals(lastApproval));
        boolean appended = size == approvals + 1 && approved.get(size - 1).measurementId().equals(measurementId)
                && (approvals == 0 || approved.get(size - 2).measurementId().equals(lastApproval));
        if (appended) {
            positions.put(measurementId, size - 1);
            approvals = size;
            lastApproval = measurementId;
        } else if (!same || !positions.containsKey(measurementId)) {
            return Optional.empty();
        }
        int position = positions.get(measurementId);
        ApprovedMeasurement approval = approved.get(position);
        List<String> shares = forShares.getOrDefault(measurementId, payers);
        List<String> gaining = payers.stream()
                .filter(payer -> shares.contains(payer) && !byPayer.get(payer).contains(measurementId)).toList();
        for (String payer : gaining) {
            if (latestOf.getOrDefault(payer, -1) > position) {
                return Optional.empty(); // placed before approvals this payer has: its entitlement from the start
            }
        }
        if (shares.containsAll(payers)) {
            partial.remove(measurementId);
        } else {
            partial.add(measurementId);
        }
        Map<String, List<DuePayout>> lines = new LinkedHashMap<>();
        for (String payer : gaining) {
            lines.put(payer, byPayer.get(payer).approve(approval));
            latestOf.put(payer, position);
        }
        return Optional.ofNullable(inOrder(lines));
    }

    /**
     * Each payer's own lines, in the order of one computation for all where every approval is for every payer (line
     * by line, payer by payer), else payer by payer; null if the payers' computations, which are then of the same
     * approvals, do not line up.
     */
    private List<DuePayout> inOrder(Map<String, List<DuePayout>> byPayerLines) {
        Map<String, List<DuePayout>> own = new LinkedHashMap<>();
        byPayerLines.forEach((payer, lines) -> own.put(payer, lines.stream()
                .filter(line -> line.payerId().equals(payer)).toList()));
        List<DuePayout> ordered = new ArrayList<>();
        if (!partial.isEmpty()) {
            own.values().forEach(ordered::addAll);
            return ordered;
        }
        int count = own.isEmpty() ? 0 : own.values().iterator().next().size();
        if (own.values().stream().anyMatch(lines -> lines.size() != count)) {
            return null;
        }
        for (int i = 0; i < count; i++) {
            for (List<DuePayout> lines : own.values()) {
                ordered.add(lines.get(i));
            }
        }
        return ordered;
    }

    /**
     * What the approval of {@code measurementId}, just recorded, makes due: its own lines against what is booked
     * for their units, on the bond's running state; where that state cannot tell, {@link #afterAnyChange}.
     */
    static PayoutBook.Plan afterApproval(BondState bond, String measurementId) {
        Optional<List<DuePayout>> added;
        try {
            added = bond.booking == null ? Optional.empty() : bond.booking.approve(measurementId, bond.terms,
                    bond.termsVersions, bond.pricingFacts(), bond.measurements.approved(),
                    bond.measurements.approvedFor());
        } catch (RuntimeException failed) {
            bond.booking = null; // half folded: computed again from the start by the next booking
            throw failed;
        }
        if (added.isEmpty()) {
            return afterAnyChange(bond);
        }
        Set<String> units = new LinkedHashSet<>();
        added.get().forEach(line -> units.add(PayoutBook.unitOf(line.measurementId(), line.metric(), line.cohortId(),
                line.participantRef(), line.payerId())));
        Set<String> held = bond.measurements.get(measurementId).status() == Measurements.Status.DISPUTED
                ? Set.of(measurementId) : Set.of();
        return PayoutBook.reconcile(bond.terms.currency(), added.get(), bond.payouts.live(units), held);
    }

    /**
     * What approving the submitted measurement {@code measurementId} on {@code on} would trigger, after every cap,
     * decided as the approval would decide it and recorded nowhere; empty when it is not awaiting a decision. Computed
     * from the start, leaving the bond's running state as it is.
     */
    static List<DuePayout> preview(BondState bond, String measurementId, LocalDate on) {
        Measurements.Submitted measurement = bond.measurements.get(measurementId);
        if (measurement == null || measurement.status() != Measurements.Status.SUBMITTED
                || bond.status != BondStatus.OPEN) {
            return List.of();
        }
        List<DuePayout> entitled = rebuild(bond.terms, bond.termsVersions, bond.pricingFacts(),
                bond.measurements.approvedWith(measurement, on),
                bond.measurements.approvedForAllOf(measurementId)).entitled();
        return PayoutBook.reconcile(bond.terms.currency(), entitled, bond.payouts.live(), bond.measurements.disputed())
                .trigger();
    }

    /**
     * What is due after any change to what is approved or to what prices it: the entitlement of everything approved,
     * from the start, against every live line; the bond keeps the running state this leaves.
     */
    static PayoutBook.Plan afterAnyChange(BondState bond) {
        bond.booking = null;
        Rebuilt rebuilt = rebuild(bond.terms, bond.termsVersions, bond.pricingFacts(), bond.measurements.approved(),
                bond.measurements.approvedFor());
        PayoutBook.Plan plan = PayoutBook.reconcile(bond.terms.currency(), rebuilt.entitled(), bond.payouts.live(),
                bond.measurements.disputed());
        bond.booking = rebuilt.booking();
        return plan;
    }

    /** How many approvals the mechanism has priced in this state, over all payers' shares. */
    long approvalsPriced() {
        return byPayer.values().stream().mapToLong(RunningEntitlement::approvalsPriced).sum();
    }
}
