package org.sibledger.projections.payouts;

import org.sibledger.projections.support.ProjectionTestBase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.payout.ListPayoutsQuery;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutPage;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.projections.support.TestTerms;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The payouts read model alone, on PostgreSQL with the ledger's schema, fed as the event processor feeds it. */
class PayoutProjectionTest extends ProjectionTestBase<PayoutProjection> {

    @Override
    protected PayoutProjection newProjection(JdbcTemplate jdbc) {
        return new PayoutProjection(jdbc);
    }

    private EventMessage<?> structured(String bondId, String currency) {
        return stream.next(bondId, new BondStructuredEvent(bondId, TestTerms.rateCard(bondId, currency)));
    }

    private EventMessage<?> triggered(String bondId, String payoutId, String measurementId, String payerId,
                                      String payable, String capped) {
        BigDecimal amount = new BigDecimal(payable);
        BigDecimal cut = new BigDecimal(capped);
        return stream.next(bondId, new PayoutTriggeredEvent(bondId, payoutId, measurementId, payerId, "job", null,
                "p-" + payoutId, amount.add(cut), amount, cut, "RATE_CARD", 1), "payer-a");
    }

    private PayoutPage page(String bondId, String payerId) {
        return projection.handle(new ListPayoutsQuery(bondId, 0, 50, payerId));
    }

    private static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    @Test
    void payoutsAreListedWithTheirAmountsInTheBondsCurrencyAndSettlementsAreTotalled() {
        Instant settledAt = START.plusSeconds(4 * 60);
        processor.deliver(structured("b-1", "JPY"),
                triggered("b-1", "po-1", "m-1", "payer-a", "600000", "0"),
                triggered("b-1", "po-2", "m-1", "payer-b", "400000", "25000"),
                triggered("b-1", "po-3", "m-2", "payer-a", "300000", "0"),
                stream.next("b-1", new PayoutSettledEvent("b-1", "po-1", "payer-a", new BigDecimal("600000"))));

        PayoutPage all = page("b-1", null);
        assertThat(all.items()).extracting(PayoutView::payoutId, PayoutView::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("po-1", "SETTLED"),
                        org.assertj.core.groups.Tuple.tuple("po-2", "TRIGGERED"),
                        org.assertj.core.groups.Tuple.tuple("po-3", "TRIGGERED"));
        PayoutView second = all.items().get(1);
        assertThat(second.amount()).isEqualTo(money("400000", "JPY"));
        assertThat(second.gross()).isEqualTo(money("425000", "JPY"));
        assertThat(second.capped()).isEqualTo(money("25000", "JPY"));
        assertThat(second.termsVersion()).isEqualTo(1);
        assertThat(all.items().get(0).settledAt()).isEqualTo(settledAt);
        assertThat(all.totals()).isEqualTo(new PayoutPage.Totals(money("1300000", "JPY"), money("600000", "JPY"),
                money("25000", "JPY"), 3));
        assertThat(page("b-1", "payer-a").items()).extracting(PayoutView::payoutId).containsExactly("po-1", "po-3");
        assertThat(page("b-1", "payer-a").totalItems()).isEqualTo(2);
        assertThat(page("b-2", null).totals()).isNull();
    }

    @Test
    void aDisputeHoldsTheMeasurementsPayoutsUntilUpheldAndARejectionCancelsThem() {
        processor.deliver(structured("b-2", "GBP"),
                triggered("b-2", "po-1", "m-1", "payer-a", "600.00", "0"),
                triggered("b-2", "po-2", "m-1", "payer-b", "400.00", "0"),
                triggered("b-2", "po-3", "m-2", "payer-a", "100.00", "0"),
                stream.next("b-2", new PayoutSettledEvent("b-2", "po-3", "payer-a", new BigDecimal("100.00"))),
                stream.next("b-2", new MeasurementDisputedEvent("b-2", "m-1", "payer-b", "wrong person")));
        assertThat(page("b-2", null).items()).extracting(PayoutView::status).containsExactly("HELD", "HELD", "SETTLED");

        processor.deliver(stream.next("b-2", new DisputeResolvedEvent("b-2", "m-1", "reviewer", DisputeResolution.UPHOLD, "fine")));
        assertThat(page("b-2", null).items()).extracting(PayoutView::status).containsExactly("TRIGGERED", "TRIGGERED", "SETTLED");

        processor.deliver(stream.next("b-2", new MeasurementDisputedEvent("b-2", "m-1", "payer-b", "again")),
                stream.next("b-2", new DisputeResolvedEvent("b-2", "m-1", "reviewer", DisputeResolution.REJECT, "wrong")),
                stream.next("b-2", new PayoutCancelledEvent("b-2", "po-1", "measurement rejected")),
                stream.next("b-2", new PayoutCancelledEvent("b-2", "po-2", "measurement rejected")),
                // a settled payout is never cancelled
                stream.next("b-2", new PayoutCancelledEvent("b-2", "po-3", "too late")));
        assertThat(page("b-2", null).items()).extracting(PayoutView::status)
                .containsExactly("CANCELLED", "CANCELLED", "SETTLED");
        assertThat(page("b-2", null).totals()).isEqualTo(new PayoutPage.Totals(money("100.00", "GBP"),
                money("100.00", "GBP"), money("0.00", "GBP"), 3));
    }

    @Test
    void amountsAtTheBoundsAreSummedExactly() {
        String gbp = TestTerms.LARGEST_GBP.toPlainString();
        String jpy = TestTerms.LARGEST_JPY.toPlainString();
        String kwd = TestTerms.LARGEST_KWD.toPlainString();
        processor.deliver(structured("b-gbp", "GBP"), triggered("b-gbp", "g-1", "m-1", "payer-a", gbp, "0.01"),
                triggered("b-gbp", "g-2", "m-2", "payer-a", gbp, "0"),
                structured("b-jpy", "JPY"), triggered("b-jpy", "j-1", "m-1", "payer-a", jpy, "1"),
                triggered("b-jpy", "j-2", "m-2", "payer-a", "1", "0"),
                structured("b-kwd", "KWD"), triggered("b-kwd", "k-1", "m-1", "payer-a", kwd, "0.001"));

        assertThat(page("b-gbp", null).items().get(0).amount()).isEqualTo(money(gbp, "GBP"));
        assertThat(page("b-gbp", null).items().get(0).gross()).isEqualTo(money("1000000000000000.00", "GBP"));
        assertThat(page("b-gbp", null).totals().booked()).isEqualTo(money("1999999999999999.98", "GBP"));
        assertThat(page("b-jpy", null).totals().booked()).isEqualTo(money("1000000000000000", "JPY"));
        assertThat(page("b-jpy", null).totals().capped()).isEqualTo(money("1", "JPY"));
        assertThat(page("b-kwd", null).items().get(0).amount()).isEqualTo(money(kwd, "KWD"));
        assertThat(page("b-kwd", null).totals().capped()).isEqualTo(money("0.001", "KWD"));
    }

    private List<EventMessage<?>> history(String bondId) {
        List<EventMessage<?>> events = new ArrayList<>(List.of(structured(bondId, "EUR"),
                triggered(bondId, "po-1-" + bondId, "m-1", "payer-a", "600.00", "0"),
                triggered(bondId, "po-2-" + bondId, "m-1", "payer-b", "400.00", "50.00"),
                triggered(bondId, "po-3-" + bondId, "m-2", "payer-a", "10.00", "0")));
        events.add(stream.next(bondId, new PayoutSettledEvent(bondId, "po-3-" + bondId, "payer-a", new BigDecimal("10.00"))));
        events.add(stream.next(bondId, new MeasurementDisputedEvent(bondId, "m-1", "payer-b", "why")));
        events.add(stream.next(bondId, new DisputeResolvedEvent(bondId, "m-1", "reviewer", DisputeResolution.UPHOLD, "ok")));
        events.add(stream.next(bondId, new PayoutSettledEvent(bondId, "po-1-" + bondId, "payer-a", new BigDecimal("600.00"))));
        events.add(stream.next(bondId, new PayoutCancelledEvent(bondId, "po-2-" + bondId, "withdrawn")));
        return events;
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        List<EventMessage<?>> events = history("b-3");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        processor.deliver(events);
        for (int from = 1; from < events.size(); from++) {
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
        assertThat(page("b-4", null).items()).isEmpty();
        processor.deliverEventByEvent(events);
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aReplayRebuildsTheSameRows() {
        assertReplayRebuildsTheSameRows(ofThreeBonds(this::history), 5, "payout_view", 9, "payout_view");
    }
}
