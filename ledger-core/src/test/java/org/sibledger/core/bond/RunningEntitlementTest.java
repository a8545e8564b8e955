package org.sibledger.core.bond;

import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
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
import org.sibledger.contracts.payout.PayoutTriggeredEvent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.bond.BondBook.money;

/**
 * An approval costs the pricing of that approval, not of the bond's history: on a bond held in memory between its
 * commands (as the application's bond cache holds it) the payment mechanism's running state is kept from approval
 * to approval, so the mechanism prices each approval once. Counted, not timed: the mechanism's calls per approval
 * stay at one while the approvals before it grow to a thousand (computed from the start, the thousandth approval
 * alone would price a thousand). A cancellation needs the whole approved set and prices it again.
 */
class RunningEntitlementTest {

    private static final String BOND = "running-rate-card";

    @Test
    void theThousandthApprovalIsPricedAloneAndPaysWhatTheFirstDid() {
        BondHarness bond = openRateCard();
        AtomicLong priced = new AtomicLong();
        AtomicReference<Booking> booking = new AtomicReference<>();
        for (int i = 1; i <= 1000; i++) {
            String id = "m-" + i;
            bond.run("evaluator", new SubmitMeasurementCommand(BOND, id, claim(i), "evidence", null));
            List<EventMessage<?>> approved = bond.run("payer", new DecideOnMeasurementCommand(BOND, id,
                    Decision.APPROVE, "verified"));
            long before = priced.get();
            Booking previous = booking.get();
            bond.inspectKept(kept -> {
                booking.set(kept.booking);
                priced.set(kept.booking.approvalsPriced());
            });
            if (i > 1) {
                assertThat(booking.get()).as("the running state after approval " + i).isSameAs(previous);
                assertThat(priced.get() - before).as("approvals the mechanism priced for approval " + i).isEqualTo(1);
            }
            List<PayoutTriggeredEvent> triggered = triggered(approved);
            assertThat(triggered).as("payouts of approval " + i).hasSize(1);
            assertThat(triggered.get(0).measurementId()).isEqualTo(id);
            assertThat(triggered.get(0).payable()).isEqualByComparingTo("10.00");
        }
        assertThat(priced.get()).as("approvals priced in all, one each").isEqualTo(1000);
        assertThat(triggered(bond.history()).stream().map(PayoutTriggeredEvent::payable)
                .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("10000.00");

        // a cancellation changes what later approvals were netted against: everything approved is priced again
        bond.run("payer", new DecideOnMeasurementCommand(BOND, "m-1", Decision.DISPUTE, "evidence doubted"));
        bond.run("reviewer", new ResolveDisputeCommand(BOND, "m-1", DisputeResolution.REJECT, "evidence did not hold"));
        bond.inspectKept(kept -> {
            assertThat(kept.booking).isNotSameAs(booking.get());
            assertThat(kept.booking.approvalsPriced()).isEqualTo(999);
        });
    }

    private static BondHarness openRateCard() {
        BondTerms terms = BondBook.terms(BOND, new PaymentMechanism.RateCard(List.of(
                        new PaymentMechanism.Price("visit", money("10.00"), null)), null),
                List.of(BondBook.metric("visit", true)),
                List.of(new BondTerms.OutcomePayer("payer", BigDecimal.ONE, null)), null, BondBook.SERVICE_END, null);
        // an hour between commands, so a thousand claims stay in the outcome window
        BondHarness bond = BondHarness.keptInMemory(terms, Duration.ofHours(1));
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("1000000.00")));
        bond.run("arranger", new OpenBondCommand(BOND));
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort 1", 100, BondBook.SERVICE_START));
        bond.run("provider", new EnrolParticipantsCommand(BOND, "c1",
                IntStream.rangeClosed(1, 20).mapToObj(i -> "p-" + i).toList()));
        return bond;
    }

    /** A visit of one of 20 participants, each on a day of its own. */
    private static Measurement claim(int i) {
        return new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim("p-" + (1 + i % 20), "visit",
                LocalDate.parse("2018-12-01").plusDays(i / 20), "ev")));
    }

    private static List<PayoutTriggeredEvent> triggered(List<EventMessage<?>> events) {
        return events.stream().filter(e -> e.getPayload() instanceof PayoutTriggeredEvent)
                .map(e -> (PayoutTriggeredEvent) e.getPayload()).toList();
    }
}
