package org.sibledger.core.bond;

import org.axonframework.eventhandling.EventMessage;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open bond for money tests, read only through its recorded events: what is booked and live is the triggered
 * lines less the cancelled ones, what the payer paid is the settlements. One payer, "payer", unless the terms say
 * otherwise; cohort "c1" of 100 with participants p-1 to p-20 (started 2018-10-01).
 */
final class BondBook {

    static final LocalDate SERVICE_START = LocalDate.parse("2018-10-01");
    static final LocalDate SERVICE_END = LocalDate.parse("2022-03-31");

    final String bondId;
    final BondHarness bond;

    private BondBook(BondTerms terms) {
        this.bondId = terms.bondId();
        this.bond = new BondHarness(terms);
    }

    /** A bond on these terms, opened with a commitment of 1,000,000.00, a cohort and 20 participants. */
    static BondBook open(String bondId, PaymentMechanism mechanism, List<BondTerms.Metric> metrics,
                         List<BondTerms.OutcomePayer> payers, BigDecimal contractCap) {
        return open(terms(bondId, mechanism, metrics, payers, contractCap, SERVICE_END, null));
    }

    static BondTerms terms(String bondId, PaymentMechanism mechanism, List<BondTerms.Metric> metrics,
                           List<BondTerms.OutcomePayer> payers, BigDecimal contractCap, LocalDate serviceEnd,
                           LocalDate outcomesEnd) {
        return new BondTerms(bondId, "Money test", "GBP", contractCap, SERVICE_START, serviceEnd,
                new BondTerms.Parties("arranger", List.of("provider"), payers, List.of("evaluator"), List.of("investor"),
                        List.of("reviewer")),
                metrics, mechanism,
                new BondTerms.InvestorTerms(List.of(new BondTerms.Tranche("senior", 1, new BigDecimal("0.15")))),
                outcomesEnd);
    }

    /** A bond on these terms, opened with a commitment of 1,000,000.00, a cohort and 20 participants. */
    static BondBook open(BondTerms terms) {
        String bondId = terms.bondId();
        BondBook book = new BondBook(terms);
        book.bond.run("investor", new MakeCommitmentCommand(bondId, "investor", "senior", new BigDecimal("1000000.00")));
        book.bond.run("arranger", new OpenBondCommand(bondId));
        book.bond.run("provider", new OpenCohortCommand(bondId, "c1", "Cohort 1", 100, SERVICE_START));
        book.bond.run("provider", new EnrolParticipantsCommand(bondId, "c1",
                java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "p-" + i).toList()));
        return book;
    }

    static BondBook open(String bondId, PaymentMechanism mechanism, List<BondTerms.Metric> metrics) {
        return open(bondId, mechanism, metrics,
                List.of(new BondTerms.OutcomePayer("payer", BigDecimal.ONE, null)), null);
    }

    List<EventMessage<?>> submit(String measurementId, Measurement measurement) {
        return bond.run("evaluator", new SubmitMeasurementCommand(bondId, measurementId, measurement,
                "evidence-" + measurementId, null));
    }

    List<EventMessage<?>> approve(String measurementId) {
        return bond.run("payer", new DecideOnMeasurementCommand(bondId, measurementId, Decision.APPROVE, "verified"));
    }

    List<EventMessage<?>> submitAndApprove(String measurementId, Measurement measurement) {
        submit(measurementId, measurement);
        return approve(measurementId);
    }

    /** The payer disputes an approved measurement and the reviewer resolves the dispute against it. */
    List<EventMessage<?>> cancel(String measurementId) {
        bond.run("payer", new DecideOnMeasurementCommand(bondId, measurementId, Decision.DISPUTE, "evidence doubted"));
        return bond.run("reviewer", new ResolveDisputeCommand(bondId, measurementId, DisputeResolution.REJECT,
                "evidence did not hold"));
    }

    /** Lines triggered and not cancelled, by payout id. */
    Map<String, PayoutTriggeredEvent> live() {
        Map<String, PayoutTriggeredEvent> live = new LinkedHashMap<>();
        for (EventMessage<?> event : bond.history()) {
            if (event.getPayload() instanceof PayoutTriggeredEvent triggered) {
                if (live.put(triggered.payoutId(), triggered) != null) {
                    throw new AssertionError("payout " + triggered.payoutId() + " triggered twice");
                }
            } else if (event.getPayload() instanceof PayoutCancelledEvent cancelled) {
                live.remove(cancelled.payoutId());
            }
        }
        return live;
    }

    /** What is booked and live: the payable of every live line (credits negative). */
    BigDecimal booked() {
        return live().values().stream().map(PayoutTriggeredEvent::payable).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    BigDecimal capped() {
        return live().values().stream().map(PayoutTriggeredEvent::capped).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The payer's cash: every settlement, credits set off counting negative. */
    BigDecimal settled() {
        return bond.history().stream().filter(e -> e.getPayload() instanceof PayoutSettledEvent)
                .map(e -> ((PayoutSettledEvent) e.getPayload()).amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    List<PayoutTriggeredEvent> liveOf(String measurementId) {
        return live().values().stream().filter(p -> java.util.Objects.equals(measurementId, p.measurementId())).toList();
    }

    static BondTerms.Metric metric(String id, boolean repeatable) {
        return new BondTerms.Metric(id, id, repeatable);
    }

    static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }
}
