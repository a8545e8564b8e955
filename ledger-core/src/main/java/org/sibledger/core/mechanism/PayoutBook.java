package org.sibledger.core.mechanism;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DOMAIN.md's rule that nothing approved is ever lost, as one pure function: after any change to what is approved
 * (an approval, a dispute upheld or overturned, maturity, a fact that prices it), what is due = the entitlement of
 * everything approved now, through the cap chain ({@link PaymentMechanisms#entitlement}), minus what is booked and
 * live. The past is what was booked, never a recomputed past.
 *
 * <p>The comparison is made per <em>unit</em>: one measurement's line for one metric, cohort, participant and
 * payer (the pooled payment at maturity has no measurement and is a unit of its own), on the sums of payable and
 * capped. For each unit whose live lines differ from its entitlement:
 * <ul>
 *   <li>when both payable and capped only grow, one new line books the difference;</li>
 *   <li>otherwise every unsettled line of the unit is cancelled and one new line books entitlement minus what is
 *       settled; when that is negative (more was settled than is now due) the new line is a <em>credit</em>, a line
 *       with a negative payable that is set off against the payer's next payout of the bond;</li>
 *   <li>a unit of a measurement under dispute is left as it is until the dispute is resolved (its lines are held).</li>
 * </ul>
 * So after a reconciliation, for every unit and payer: live payable = entitled payable and live capped = entitled
 * capped; what a cap withholds stays recorded as capped; and nothing is ever booked twice, because a unit that
 * matches produces nothing.
 */
public final class PayoutBook {

    private PayoutBook() {
    }

    /** A booked payout line as the bond remembers it. */
    public record Line(String payoutId, String measurementId, String metric, String cohortId, String participantRef,
                       String payerId, BigDecimal payable, BigDecimal capped, boolean settled, int termsVersion) {
        /** The unit this line books for: its measurement, metric, cohort, participant and payer. */
        public String unitKey() {
            return unitOf(measurementId, metric, cohortId, participantRef, payerId);
        }
    }

    /** What a reconciliation records: the unsettled lines to cancel, then the lines to trigger. */
    public record Plan(List<String> cancel, List<DuePayout> trigger) {
        public boolean isEmpty() {
            return cancel.isEmpty() && trigger.isEmpty();
        }
    }

    /**
     * The lines to cancel and to trigger so that the live lines equal {@code entitled}.
     *
     * @param currency the bond's currency, for the lines' rule texts
     * @param entitled the entitlement of everything approved now, booked through the caps
     * @param live     the live lines (triggered, held or settled; not cancelled)
     * @param frozen   measurements under dispute, whose units are left as they are
     */
    public static Plan reconcile(String currency, List<DuePayout> entitled, Collection<Line> live,
                                 Set<String> frozen) {
        Map<String, List<DuePayout>> due = new LinkedHashMap<>();
        for (DuePayout line : entitled) {
            due.computeIfAbsent(unitOf(line.measurementId(), line.metric(), line.cohortId(), line.participantRef(),
                    line.payerId()), unit -> new ArrayList<>()).add(line);
        }
        Map<String, List<Line>> booked = new LinkedHashMap<>();
        for (Line line : live) {
            booked.computeIfAbsent(line.unitKey(), unit -> new ArrayList<>()).add(line);
            due.putIfAbsent(line.unitKey(), List.of());
        }
        List<String> cancel = new ArrayList<>();
        List<DuePayout> trigger = new ArrayList<>();
        due.forEach((unit, lines) -> {
            List<Line> lived = booked.getOrDefault(unit, List.of());
            Line anyBooked = lived.isEmpty() ? null : lived.get(0);
            String measurementId = lines.isEmpty() ? anyBooked.measurementId() : lines.get(0).measurementId();
            if (measurementId != null && frozen.contains(measurementId)) {
                return;
            }
            BigDecimal payable = sum(lines.stream().map(DuePayout::payable).toList());
            BigDecimal capped = sum(lines.stream().map(DuePayout::capped).toList());
            BigDecimal livePayable = sum(lived.stream().map(Line::payable).toList());
            BigDecimal liveCapped = sum(lived.stream().map(Line::capped).toList());
            if (payable.compareTo(livePayable) == 0 && capped.compareTo(liveCapped) == 0) {
                return;
            }
            BigDecimal basePayable = livePayable;
            BigDecimal baseCapped = liveCapped;
            if (payable.compareTo(livePayable) < 0 || capped.compareTo(liveCapped) < 0) {
                basePayable = BigDecimal.ZERO;
                baseCapped = BigDecimal.ZERO;
                for (Line line : lived) {
                    if (line.settled()) {
                        basePayable = basePayable.add(line.payable());
                        baseCapped = baseCapped.add(line.capped());
                    } else {
                        cancel.add(line.payoutId());
                    }
                }
            }
            BigDecimal newPayable = payable.subtract(basePayable);
            BigDecimal newCapped = capped.subtract(baseCapped);
            if (newPayable.signum() == 0 && newCapped.signum() == 0) {
                return;
            }
            DuePayout model = lines.isEmpty() ? null : lines.get(0);
            String rule = rule(currency, lines, basePayable, newPayable);
            trigger.add(model != null
                    ? new DuePayout(unit, model.measurementId(), model.metric(), model.cohortId(), model.participantRef(),
                            model.payerId(), newPayable.add(newCapped), newPayable, newCapped, rule, model.termsVersion())
                    : new DuePayout(unit, anyBooked.measurementId(), anyBooked.metric(), anyBooked.cohortId(),
                            anyBooked.participantRef(), anyBooked.payerId(), newPayable.add(newCapped), newPayable,
                            newCapped, rule, anyBooked.termsVersion()));
        });
        return new Plan(List.copyOf(cancel), List.copyOf(trigger));
    }

    private static String rule(String currency, List<DuePayout> lines, BigDecimal booked, BigDecimal added) {
        String entitlement = lines.isEmpty() ? "no approved result entitles this line any more"
                : String.join("; then ", lines.stream().map(DuePayout::rule).toList());
        if (added.signum() < 0) {
            return "credit of " + Amounts.money(currency, added.negate()) + " paid above what is now due (" + entitlement
                    + "), set off against this payer's next payout of the bond";
        }
        if (booked.signum() != 0) {
            return entitlement + "; less " + Amounts.money(currency, booked) + " booked before";
        }
        return entitlement;
    }

    private static BigDecimal sum(List<BigDecimal> amounts) {
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal amount : amounts) {
            total = total.add(amount);
        }
        return total;
    }

    /** An amount as the lines' rules show it: "GBP 2750.00". */
    public static String shown(String currency, BigDecimal amount) {
        return Amounts.money(currency, amount);
    }

    /** The unit a line books for: its measurement, metric, cohort, participant and payer. */
    public static String unitOf(String measurementId, String metric, String cohortId, String participantRef, String payerId) {
        return Amounts.key(orNone(measurementId), orNone(metric), orNone(cohortId), orNone(participantRef), payerId);
    }

    /** '~' is in no identifier, so an absent part never reads as a present one. */
    private static String orNone(String part) {
        return part == null ? "~" : part;
    }
}
