package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.core.mechanism.DuePayout;
import org.sibledger.core.mechanism.PayoutBook;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The payouts booked on the bond, a member entity of the bond: each line triggered, held while its measurement is
 * disputed, settled by its payer, or cancelled by a reconciliation. No payout id is ever triggered twice.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Payouts {

    enum Status { TRIGGERED, HELD, SETTLED, CANCELLED }

    private Map<String, Payout> payouts = new LinkedHashMap<>();
    /** Per unit ({@link PayoutBook#unitOf}), the ids of its lines in the order they were triggered, cancelled too. */
    private Map<String, List<String>> byUnit = new HashMap<>();

    record Payout(String payoutId, String measurementId, String payerId, String metric, String cohortId,
                  String participantRef, BigDecimal payable, BigDecimal capped, int termsVersion, Status status) {
        static String idOf(String key) {
            return "po-" + Audit.sha256(key).substring(0, 20);
        }

        String unit() {
            return PayoutBook.unitOf(measurementId, metric, cohortId, participantRef, payerId);
        }

        Payout withStatus(Status value) {
            return new Payout(payoutId, measurementId, payerId, metric, cohortId, participantRef, payable, capped,
                    termsVersion, value);
        }
    }

    // ---------------------------------------------------------------- decisions

    /**
     * The payer settles a payout. Its open credits (what it settled above what is now due) are set off against it,
     * oldest first, as far as the payout covers them: the payer's cash is the payout less the credits set off. A
     * credit larger than what is left of the payout is split: the part the payout covers is set off (a line of its
     * own, settled) and the rest stays a credit for the payer's next payout (see {@link #split}).
     * <p>
     * A credit is not settled on its own while the bond can still book payouts: it waits to be set off. Once the
     * bond has matured no payout may come to set it off, and the payer may settle it: the bond repays it from the cash
     * it holds ({@code refund}), after the payer's own unsettled payouts of the bond have taken what they can of it.
     *
     * @param refund the check that the bond's cash covers a credit repaid to the payer, absent while it is open
     */
    List<Object> settle(String bondId, String currency, String payer, String payoutId,
                        Consumer<BigDecimal> refund) {
        Payout payout = payouts.get(payoutId);
        if (payout == null) {
            throw Refusals.notFound("unknown-payout", "No payout '" + payoutId + "' on this bond").with(payoutId);
        }
        if (!payout.payerId().equals(payer)) {
            throw Refusals.forbidden("not-the-payer", "Payout '" + payout.payoutId() + "' is owed by '"
                    + payout.payerId() + "', not '" + payer + "'").with(payout.payoutId(), payout.payerId(), payer);
        }
        if (payout.payable().signum() == 0) {
            throw Refusals.conflict("nothing-due", "Payout '" + payout.payoutId() + "' was capped to nothing; there is nothing to settle")
                    .with(payout.payoutId());
        }
        if (payout.status() != Status.TRIGGERED) {
            throw Refusals.conflict("payout-not-payable", "Payout '" + payout.payoutId() + "' is " + payout.status())
                    .with(payout.payoutId(), payout.status());
        }
        if (payout.payable().signum() < 0) {
            return repay(bondId, currency, payer, payout, refund);
        }
        List<Object> events = new ArrayList<>();
        events.add(new PayoutSettledEvent(bondId, payout.payoutId(), payer, payout.payable()));
        BigDecimal left = payout.payable();
        for (Payout credit : List.copyOf(payouts.values())) {
            if (left.signum() == 0) {
                break;
            }
            if (credit.payerId().equals(payer) && credit.status() == Status.TRIGGERED && credit.payable().signum() < 0) {
                if (credit.payable().negate().compareTo(left) <= 0) {
                    events.add(new PayoutSettledEvent(bondId, credit.payoutId(), payer, credit.payable()));
                    left = left.add(credit.payable());
                } else {
                    events.addAll(split(bondId, currency, credit, left, payout.payoutId()));
                    left = BigDecimal.ZERO;
                }
            }
        }
        return events;
    }

    /** A credit the payer settles once the bond has matured: repaid from the bond's cash, if nothing else takes it. */
    private List<Object> repay(String bondId, String currency, String payer, Payout credit,
                               Consumer<BigDecimal> refund) {
        if (refund == null) {
            throw Refusals.conflict("credit-set-off", "Payout '" + credit.payoutId() + "' is a credit to " + payer
                    + "; it is set off when " + payer + " settles its next payout of this bond (once the bond has"
                    + " matured, it is repaid from the bond's cash)").with(credit.payoutId(), payer);
        }
        payouts.values().stream().filter(p -> p.payerId().equals(payer) && p.status() == Status.TRIGGERED
                && p.payable().signum() > 0).findFirst().ifPresent(open -> {
                    throw Refusals.conflict("credit-set-off", "Payout '" + credit.payoutId() + "' is a credit to "
                            + payer + "; settle payout '" + open.payoutId() + "' first, against which it is set off")
                                    .worded("first", credit.payoutId(), payer, open.payoutId());
                });
        refund.accept(credit.payable().negate());
        return List.of(new PayoutSettledEvent(bondId, credit.payoutId(), payer, credit.payable()));
    }

    /**
     * Part of a credit set off against a payout: the credit line is cancelled and booked again as two lines of its
     * unit, the part set off (settled at once) and the rest (still a credit), so that what the unit books is unchanged
     * and every line is settled whole.
     */
    private List<Object> split(String bondId, String currency, Payout credit, BigDecimal setOff, String againstId) {
        BigDecimal rest = credit.payable().add(setOff);
        int earlier = (int) payouts.values().stream().filter(p -> p.unit().equals(credit.unit())).count();
        String partId = Payout.idOf(bondId + "\u0000" + credit.unit() + "#" + earlier);
        String restId = Payout.idOf(bondId + "\u0000" + credit.unit() + "#" + (earlier + 1));
        return List.of(
                new PayoutCancelledEvent(bondId, credit.payoutId(), PayoutBook.shown(currency, setOff) + " of this credit"
                        + " set off against payout '" + againstId + "', the rest booked as '" + restId + "'"),
                new PayoutTriggeredEvent(bondId, partId, credit.measurementId(), credit.payerId(), credit.metric(),
                        credit.cohortId(), credit.participantRef(), setOff.negate(), setOff.negate(), BigDecimal.ZERO,
                        "part of credit '" + credit.payoutId() + "' set off against payout '" + againstId + "'",
                        credit.termsVersion()),
                new PayoutSettledEvent(bondId, partId, credit.payerId(), setOff.negate()),
                new PayoutTriggeredEvent(bondId, restId, credit.measurementId(), credit.payerId(), credit.metric(),
                        credit.cohortId(), credit.participantRef(), rest.add(credit.capped()), rest, credit.capped(),
                        "credit of " + PayoutBook.shown(currency, rest.negate()) + " left of credit '" + credit.payoutId()
                                + "', set off against this payer's next payout of the bond", credit.termsVersion()));
    }

    /**
     * What a reconciliation records: the cancellations, then the new lines. A new line's id derives from the bond,
     * its unit and how many lines the unit had before, so it is never recorded twice.
     */
    List<Object> book(String bondId, PayoutBook.Plan plan, String why) {
        List<Object> events = new ArrayList<>();
        for (String payoutId : plan.cancel()) {
            events.add(new PayoutCancelledEvent(bondId, payoutId, why));
        }
        Map<String, Integer> added = new HashMap<>();
        for (DuePayout line : plan.trigger()) {
            int earlier = byUnit.getOrDefault(line.key(), List.of()).size() + added.merge(line.key(), 1, Integer::sum) - 1;
            String payoutId = Payout.idOf(bondId + "\u0000" + line.key() + "#" + earlier);
            events.add(new PayoutTriggeredEvent(bondId, payoutId, line.measurementId(), line.payerId(), line.metric(),
                    line.cohortId(), line.participantRef(), line.gross(), line.payable(), line.capped(), line.rule(),
                    line.termsVersion()));
        }
        return events;
    }

    // ---------------------------------------------------------------- state

    /** The ids of the lines with something to pay that are neither settled nor cancelled. */
    List<String> unsettled() {
        return payouts.values().stream().filter(p -> p.payable().signum() != 0 && p.status() != Status.SETTLED
                && p.status() != Status.CANCELLED).map(Payout::payoutId).toList();
    }

    boolean anySettled(String measurementId) {
        return payouts.values().stream().anyMatch(p -> measurementId.equals(p.measurementId())
                && p.status() == Status.SETTLED);
    }

    /** The lines booked and live: triggered, held or settled. */
    List<PayoutBook.Line> live() {
        List<PayoutBook.Line> live = new ArrayList<>(payouts.size());
        for (Payout p : payouts.values()) {
            if (p.status() != Status.CANCELLED) {
                live.add(new PayoutBook.Line(p.payoutId(), p.measurementId(), p.metric(), p.cohortId(),
                        p.participantRef(), p.payerId(), p.payable(), p.capped(), p.status() == Status.SETTLED,
                        p.termsVersion()));
            }
        }
        return live;
    }

    /** The lines booked and live of these units only. */
    List<PayoutBook.Line> live(Collection<String> units) {
        List<PayoutBook.Line> live = new ArrayList<>();
        for (String unit : units) {
            for (String payoutId : byUnit.getOrDefault(unit, List.of())) {
                Payout p = payouts.get(payoutId);
                if (p.status() != Status.CANCELLED) {
                    live.add(new PayoutBook.Line(p.payoutId(), p.measurementId(), p.metric(), p.cohortId(),
                            p.participantRef(), p.payerId(), p.payable(), p.capped(), p.status() == Status.SETTLED,
                            p.termsVersion()));
                }
            }
        }
        return live;
    }

    @EventSourcingHandler
    void on(PayoutTriggeredEvent event) {
        Payout payout = new Payout(event.payoutId(), event.measurementId(), event.payerId(), event.metric(),
                event.cohortId(), event.participantRef(), event.payable(), event.capped(),
                event.termsVersion() == null ? 1 : event.termsVersion(), Status.TRIGGERED);
        payouts.put(event.payoutId(), payout);
        byUnit.computeIfAbsent(payout.unit(), unit -> new ArrayList<>()).add(event.payoutId());
    }

    @EventSourcingHandler
    void on(PayoutCancelledEvent event) {
        payouts.computeIfPresent(event.payoutId(), (k, p) -> p.withStatus(Status.CANCELLED));
    }

    @EventSourcingHandler
    void on(PayoutSettledEvent event) {
        payouts.computeIfPresent(event.payoutId(), (k, p) -> p.withStatus(Status.SETTLED));
    }

    /** A disputed measurement's lines are held until the dispute is resolved. */
    @EventSourcingHandler
    void on(MeasurementDisputedEvent event) {
        move(event.measurementId(), Status.TRIGGERED, Status.HELD);
    }

    /**
     * Upheld, they are payable again (only an approved measurement has lines); rejected, they stay held until the
     * reconciliation that follows cancels them.
     */
    @EventSourcingHandler
    void on(DisputeResolvedEvent event) {
        if (event.resolution() != DisputeResolution.REJECT) {
            move(event.measurementId(), Status.HELD, Status.TRIGGERED);
        }
    }

    private void move(String measurementId, Status from, Status to) {
        payouts.replaceAll((id, p) -> measurementId.equals(p.measurementId()) && p.status() == from
                ? p.withStatus(to) : p);
    }
}
