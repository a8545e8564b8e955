package org.sibledger.projections.liabilities;

import org.sibledger.projections.support.ProjectionTestBase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.payout.FindLiabilitiesQuery;
import org.sibledger.contracts.payout.LiabilitiesView;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.projections.support.TestTerms;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The liabilities read model alone, on PostgreSQL with the ledger's schema, fed as the event processor feeds it. */
class LiabilityProjectionTest extends ProjectionTestBase<LiabilityProjection> {

    @Override
    protected LiabilityProjection newProjection(JdbcTemplate jdbc) {
        return new LiabilityProjection(jdbc);
    }

    private EventMessage<?> triggered(String bondId, String payoutId, String measurementId, String payerId, String payable) {
        BigDecimal amount = new BigDecimal(payable);
        return stream.next(bondId, new PayoutTriggeredEvent(bondId, payoutId, measurementId, payerId, "job", null,
                null, amount, amount, BigDecimal.ZERO, "RATE_CARD", 1));
    }

    private LiabilitiesView view(String bondId) {
        return projection.handle(new FindLiabilitiesQuery(bondId, null)).orElseThrow();
    }

    private static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    /** Payer a (share 0.6, capped at the contract cap) and payer b (0.4, no cap of its own). */
    private EventMessage<?> structured(String bondId, String currency, String contractCap) {
        return stream.next(bondId, new BondStructuredEvent(bondId, TestTerms.rateCard(bondId, "Bond " + bondId,
                currency, new BigDecimal(contractCap), new BigDecimal("100"))));
    }

    @Test
    void eachPayersPayoutsAreDueHeldOrSettledAgainstItsCapAndTheContractCap() {
        processor.deliver(structured("b-1", "JPY", "1000000"),
                triggered("b-1", "po-1", "m-1", "payer-a", "300000"),
                triggered("b-1", "po-2", "m-1", "payer-b", "200000"),
                triggered("b-1", "po-3", "m-2", "payer-a", "60000"),
                triggered("b-1", "po-4", "m-3", "payer-a", "5000"),
                stream.next("b-1", new PayoutSettledEvent("b-1", "po-1", "payer-a", new BigDecimal("300000"))),
                stream.next("b-1", new MeasurementDisputedEvent("b-1", "m-2", "payer-a", "check")),
                stream.next("b-1", new PayoutCancelledEvent("b-1", "po-4", "withdrawn")));

        LiabilitiesView view = view("b-1");
        assertThat(view.currency()).isEqualTo("JPY");
        assertThat(view.payers()).hasSize(2);
        LiabilitiesView.PayerLiability a = view.payers().get(0);
        assertThat(a.payerId()).isEqualTo("payer-a");
        assertThat(a.share()).isEqualTo(new BigDecimal("0.6"));
        assertThat(a.due()).isEqualTo(money("0", "JPY"));
        assertThat(a.held()).isEqualTo(money("60000", "JPY"));
        assertThat(a.settled()).isEqualTo(money("300000", "JPY"));
        assertThat(a.cap()).isEqualTo(money("1000000", "JPY"));
        assertThat(a.headroom()).isEqualTo(money("640000", "JPY"));
        LiabilitiesView.PayerLiability b = view.payers().get(1);
        assertThat(b.due()).isEqualTo(money("200000", "JPY"));
        assertThat(b.cap()).isNull();
        assertThat(b.headroom()).isNull();
        assertThat(view.contractCap()).isEqualTo(money("1000000", "JPY"));
        assertThat(view.contractUsed()).isEqualTo(money("560000", "JPY"));
        assertThat(view.contractHeadroom()).isEqualTo(money("440000", "JPY"));
        assertThat(projection.handle(new FindLiabilitiesQuery("b-1", "payer-b")).orElseThrow().payers())
                .extracting(LiabilitiesView.PayerLiability::payerId).containsExactly("payer-b");
        assertThat(projection.handle(new FindLiabilitiesQuery("nobody", null))).isEmpty();

        // upheld: due again; a rejected dispute's payouts are cancelled by their own events
        processor.deliver(stream.next("b-1", new DisputeResolvedEvent("b-1", "m-2", "reviewer", DisputeResolution.UPHOLD, "ok")));
        assertThat(view("b-1").payers().get(0).due()).isEqualTo(money("60000", "JPY"));
        assertThat(view("b-1").payers().get(0).held()).isEqualTo(money("0", "JPY"));
    }

    @Test
    void aVariationReplacesThePayersAndTheContractCap() {
        BondTerms terms = TestTerms.rateCard("b-2", "Bond b-2", "GBP", new BigDecimal("1000.00"), BigDecimal.TEN);
        BondTerms varied = TestTerms.rateCard("b-2", "Bond b-2", "GBP", new BigDecimal("5000.00"), BigDecimal.TEN,
                List.of(new BondTerms.OutcomePayer("payer-c", BigDecimal.ONE, new BigDecimal("4000.00"))));
        EventMessage<?> structured = stream.next("b-2", new BondStructuredEvent("b-2", terms));
        processor.deliver(structured,
                triggered("b-2", "po-1", "m-1", "payer-c", "1500.00"),
                stream.next("b-2", new TermsAmendedEvent("b-2", terms, varied, "new payer", LocalDate.of(2024, 6, 1),
                        List.of("payer-a", "payer-b"))));
        LiabilitiesView view = view("b-2");
        assertThat(view.payers()).extracting(LiabilitiesView.PayerLiability::payerId).containsExactly("payer-c");
        assertThat(view.payers().get(0).due()).isEqualTo(money("1500.00", "GBP"));
        assertThat(view.payers().get(0).headroom()).isEqualTo(money("2500.00", "GBP"));
        assertThat(view.contractCap()).isEqualTo(money("5000.00", "GBP"));
        assertThat(view.contractHeadroom()).isEqualTo(money("3500.00", "GBP"));

        // the structuring delivered again (the token went back) does not bring the old terms back
        processor.deliver(structured);
        assertThat(view("b-2").contractCap()).isEqualTo(money("5000.00", "GBP"));
    }

    @Test
    void amountsAtTheBoundsAreSummedExactly() {
        String gbp = TestTerms.LARGEST_GBP.toPlainString();
        processor.deliver(structured("b-gbp", "GBP", gbp), triggered("b-gbp", "g-1", "m-1", "payer-a", gbp),
                triggered("b-gbp", "g-2", "m-2", "payer-b", gbp),
                structured("b-jpy", "JPY", TestTerms.LARGEST_JPY.toPlainString()),
                triggered("b-jpy", "j-1", "m-1", "payer-b", "1"));
        LiabilitiesView gbpView = view("b-gbp");
        assertThat(gbpView.contractUsed()).isEqualTo(money("1999999999999999.98", "GBP"));
        assertThat(gbpView.contractHeadroom()).isEqualTo(money("0.00", "GBP"));
        assertThat(gbpView.payers().get(0).headroom()).isEqualTo(money("0.00", "GBP"));
        assertThat(view("b-jpy").contractHeadroom()).isEqualTo(money("999999999999998", "JPY"));
    }

    private List<EventMessage<?>> history(String bondId) {
        List<EventMessage<?>> events = new ArrayList<>(List.of(structured(bondId, "EUR", "10000.00"),
                triggered(bondId, "po-1-" + bondId, "m-1", "payer-a", "600.00"),
                triggered(bondId, "po-2-" + bondId, "m-1", "payer-b", "400.00"),
                triggered(bondId, "po-3-" + bondId, "m-2", "payer-a", "10.00")));
        events.add(stream.next(bondId, new PayoutSettledEvent(bondId, "po-3-" + bondId, "payer-a", new BigDecimal("10.00"))));
        events.add(stream.next(bondId, new MeasurementDisputedEvent(bondId, "m-1", "payer-b", "why")));
        events.add(stream.next(bondId, new DisputeResolvedEvent(bondId, "m-1", "reviewer", DisputeResolution.REJECT, "no")));
        events.add(stream.next(bondId, new PayoutCancelledEvent(bondId, "po-1-" + bondId, "rejected")));
        events.add(stream.next(bondId, new PayoutCancelledEvent(bondId, "po-2-" + bondId, "rejected")));
        return events;
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        List<EventMessage<?>> events = history("b-3");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        assertThat(view("b-3").contractUsed()).isEqualTo(money("10.00", "EUR"));
        for (int from = 0; from < events.size(); from++) {
            processor.deliver(events.subList(from, events.size()));
        }
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aBatchRolledBackAndHandledAgainEventByEventLeavesTheRowsOfOneDelivery() {
        List<EventMessage<?>> events = history("b-4");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        processor.reset();

        processor.deliverAndRollBack(events);
        assertThat(projection.handle(new FindLiabilitiesQuery("b-4", null))).isEmpty();
        processor.deliverEventByEvent(events);
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aReplayRebuildsTheSameRows() {
        assertReplayRebuildsTheSameRows(ofThreeBonds(this::history), 4, "liability_payout", 9, "liability_bond");
    }
}
