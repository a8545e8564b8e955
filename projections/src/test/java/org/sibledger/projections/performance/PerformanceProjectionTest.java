package org.sibledger.projections.performance;

import org.sibledger.projections.support.ProjectionTestBase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.cohort.ListParticipantsQuery;
import org.sibledger.contracts.cohort.ParticipantList;
import org.sibledger.contracts.cohort.ParticipantsEnrolledEvent;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.performance.FindPerformanceQuery;
import org.sibledger.contracts.performance.PerformanceView;
import org.sibledger.contracts.performance.PerformanceView.CapLine;
import org.sibledger.contracts.performance.PerformanceView.Figures;
import org.sibledger.projections.support.TestTerms;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The performance read model alone, on PostgreSQL with the ledger's schema, fed as the event processor feeds it. */
class PerformanceProjectionTest extends ProjectionTestBase<PerformanceProjection> {

    private static final Instant MARCH = Instant.parse("2024-03-01T09:00:00Z");
    private static final Instant APRIL = Instant.parse("2024-04-10T09:00:00Z");
    private static final LocalDate END_OF_MARCH = LocalDate.of(2024, 3, 31);

    @Override
    protected PerformanceProjection newProjection(JdbcTemplate jdbc) {
        return new PerformanceProjection(jdbc);
    }

    private static Measurement claims(String... participants) {
        List<Measurement.OutcomeClaim> claims = new ArrayList<>();
        for (String participant : participants) {
            claims.add(new Measurement.OutcomeClaim(participant, "job", LocalDate.of(2024, 2, 1), null));
        }
        return new Measurement.OutcomeClaims(claims);
    }

    private EventMessage<?> triggered(String bondId, String payoutId, String measurementId, String payerId,
                                      String participantRef, String payable, String capped) {
        return stream.next(bondId, new PayoutTriggeredEvent(bondId, payoutId, measurementId, payerId, "job", null,
                participantRef, new BigDecimal(payable).add(new BigDecimal(capped)), new BigDecimal(payable),
                new BigDecimal(capped), "RATE_CARD", 1));
    }

    /**
     * In March: two cohorts enrolled, a measurement of two claims approved and its payouts triggered. In April: one
     * payout settled, a second measurement rejected, the first rejected on dispute and its unsettled payout cancelled.
     */
    private List<EventMessage<?>> story(String bondId, String currency, String payable, String capped) {
        List<EventMessage<?>> events = new ArrayList<>();
        stream.at(MARCH);
        events.add(stream.next(bondId, new BondStructuredEvent(bondId, TestTerms.rateCard(bondId, currency))));
        events.add(stream.next(bondId, new ParticipantsEnrolledEvent(bondId, "c-1", List.of("p-1", "p-2"))));
        events.add(stream.next(bondId, new ParticipantsEnrolledEvent(bondId, "c-2", List.of("p-3"))));
        events.add(stream.next(bondId, new MeasurementSubmittedEvent(bondId, "m-1", "evaluator", claims("p-1", "p-3"), null, null)));
        events.add(stream.next(bondId, new MeasurementApprovedEvent(bondId, "m-1", "payer-a", null)));
        events.add(triggered(bondId, "po-1-" + bondId, "m-1", "payer-a", "p-1", payable, "0"));
        events.add(triggered(bondId, "po-2-" + bondId, "m-1", "payer-b", "p-3", payable, capped));
        stream.at(APRIL);
        events.add(stream.next(bondId, new PayoutSettledEvent(bondId, "po-1-" + bondId, "payer-a", new BigDecimal(payable))));
        events.add(stream.next(bondId, new MeasurementSubmittedEvent(bondId, "m-2", "evaluator", claims("p-2"), null, null)));
        events.add(stream.next(bondId, new MeasurementRejectedEvent(bondId, "m-2", "payer-a", "no evidence")));
        events.add(stream.next(bondId, new DisputeResolvedEvent(bondId, "m-1", "reviewer", DisputeResolution.REJECT, "no")));
        events.add(stream.next(bondId, new PayoutCancelledEvent(bondId, "po-2-" + bondId, "measurement rejected")));
        return events;
    }

    private PerformanceView view(String bondId, LocalDate asOf) {
        return projection.handle(new FindPerformanceQuery(bondId, asOf)).orElseThrow();
    }

    private static Figures figures(int submitted, int approved, int rejected, String triggered, String capped,
                                   String settled, String currency) {
        return new Figures(BigDecimal.valueOf(submitted), BigDecimal.valueOf(approved), BigDecimal.valueOf(rejected),
                money(triggered, currency), money(capped, currency), money(settled, currency));
    }

    private static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    @Test
    void figuresPerMetricCohortAndMonthWithReversalsAsNegativeFacts() {
        processor.deliver(story("b-1", "GBP", "500.00", "100.00"));

        PerformanceView now = view("b-1", null);
        assertThat(now.currency()).isEqualTo("GBP");
        assertThat(now.total()).isEqualTo(figures(3, 0, 3, "500.00", "0.00", "500.00", "GBP"));
        assertThat(now.metrics()).containsExactly(
                new PerformanceView.MetricLine("job", "c-1", figures(2, 0, 2, "500.00", "0.00", "500.00", "GBP")),
                new PerformanceView.MetricLine("job", "c-2", figures(1, 0, 1, "0.00", "0.00", "0.00", "GBP")));
        // months by when the outcomes were achieved (the claims' 1 February), not when they were recorded; the
        // settlement in the month it was paid
        assertThat(now.months()).containsExactly(
                new PerformanceView.MonthLine("2024-02", figures(3, 0, 3, "500.00", "0.00", "0.00", "GBP")),
                new PerformanceView.MonthLine("2024-04", figures(0, 0, 0, "0.00", "0.00", "500.00", "GBP")));
        assertThat(now.caps()).containsExactly(
                new CapLine("CONTRACT", null, money("1000000.00", "GBP"), money("500.00", "GBP"), money("999500.00", "GBP")),
                new CapLine("PAYER", "payer-a", money("1000000.00", "GBP"), money("500.00", "GBP"), money("999500.00", "GBP")));

        // as of a date: the outcomes achieved by then (with what was later decided about them), and what was paid by then
        PerformanceView inMarch = view("b-1", END_OF_MARCH);
        assertThat(inMarch.total()).isEqualTo(figures(3, 0, 3, "500.00", "0.00", "0.00", "GBP"));
        assertThat(view("b-1", LocalDate.of(2024, 1, 31)).total()).isEqualTo(figures(0, 0, 0, "0.00", "0.00", "0.00", "GBP"));

        assertThat(projection.handle(new ListParticipantsQuery("b-1")))
                .isEqualTo(new ParticipantList("b-1", Map.of("p-1", "c-1", "p-2", "c-1", "p-3", "c-2")));
        assertThat(projection.handle(new FindPerformanceQuery("nobody", null))).isEmpty();
    }

    @Test
    void aCohortsImprovementIsShownAgainstItsThresholdUntilARejectionReversesIt() {
        BondTerms terms = TestTerms.paying(TestTerms.rateCard("b-5", "GBP"), new PaymentMechanism.ThresholdVsComparison(
                "reoffending", true, new BigDecimal("0.1"), null, new BigDecimal("100"), BigDecimal.ONE,
                new BigDecimal("5000")));
        processor.deliver(stream.next("b-5", new BondStructuredEvent("b-5", terms)),
                stream.next("b-5", new MeasurementSubmittedEvent("b-5", "m-1", "evaluator", new Measurement.CohortResult(
                        "c-1", "reoffending", "2024", new BigDecimal("0.45"), new BigDecimal("0.5")), null, null)),
                stream.next("b-5", new MeasurementApprovedEvent("b-5", "m-1", "payer-a", null)),
                stream.next("b-5", new MeasurementSubmittedEvent("b-5", "m-2", "evaluator", new Measurement.CohortResult(
                        "c-1", "reoffending", "2025", new BigDecimal("0.4"), new BigDecimal("0.5")), null, null)),
                stream.next("b-5", new MeasurementApprovedEvent("b-5", "m-2", "payer-a", null)));
        assertThat(view("b-5", null).targets()).containsExactly(new PerformanceView.TargetLine("reoffending", "c-1",
                "COHORT_THRESHOLD", new BigDecimal("0.1"), new BigDecimal("0.2"), new BigDecimal("2")));
        assertThat(view("b-5", null).caps()).contains(new CapLine("METRIC", "reoffending", money("5000.00", "GBP"),
                money("0.00", "GBP"), money("5000.00", "GBP")));

        processor.deliver(stream.next("b-5", new DisputeResolvedEvent("b-5", "m-2", "reviewer", DisputeResolution.REJECT, "no")));
        assertThat(view("b-5", null).targets()).containsExactly(new PerformanceView.TargetLine("reoffending", "c-1",
                "COHORT_THRESHOLD", new BigDecimal("0.1"), new BigDecimal("0.1"), BigDecimal.ONE));
    }

    @Test
    void theCapsAreThoseOfTheTermsInForceOnTheDateAsked() {
        BondTerms terms = TestTerms.rateCard("b-2", "EUR");
        BondTerms varied = TestTerms.rateCard("b-2", "Bond b-2", "EUR", new BigDecimal("2000000"), BigDecimal.TEN);
        processor.deliver(stream.next("b-2", new BondStructuredEvent("b-2", terms)));
        processor.deliver(stream.at(APRIL).next("b-2", new TermsAmendedEvent("b-2", terms, varied, "more",
                LocalDate.of(2024, 4, 10), List.of("payer-a", "payer-b"))));
        assertThat(view("b-2", END_OF_MARCH).caps().get(0).limit()).isEqualTo(money("1000000.00", "EUR"));
        assertThat(view("b-2", null).caps().get(0).limit()).isEqualTo(money("2000000.00", "EUR"));
    }

    @Test
    void amountsAtTheBoundsAreSummedExactlyInEachCurrency() {
        // the March part of each story (two payouts at the largest amount) first, then April's (one cancelled)
        List<EventMessage<?>> yenStory = story("b-jpy", "JPY", TestTerms.LARGEST_JPY.toPlainString(), "1");
        List<EventMessage<?>> poundStory = story("b-gbp", "GBP", TestTerms.LARGEST_GBP.toPlainString(), "0.01");
        processor.deliver(yenStory.subList(0, 7));
        processor.deliver(poundStory.subList(0, 7));
        PerformanceView yen = view("b-jpy", null);
        assertThat(yen.total().triggered()).isEqualTo(money("1999999999999998", "JPY"));
        assertThat(yen.total().capped()).isEqualTo(money("1", "JPY"));
        assertThat(yen.caps().get(0).headroom()).isEqualTo(money("0", "JPY"));
        assertThat(view("b-gbp", null).total().triggered()).isEqualTo(money("1999999999999999.98", "GBP"));

        processor.deliver(yenStory.subList(7, yenStory.size()));
        processor.deliver(poundStory.subList(7, poundStory.size()));
        assertThat(view("b-jpy", null).total().settled()).isEqualTo(money("999999999999999", "JPY"));
        assertThat(view("b-jpy", null).total().triggered()).isEqualTo(money("999999999999999", "JPY"));
        assertThat(view("b-gbp", null).total().triggered()).isEqualTo(money("999999999999999.99", "GBP"));
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        List<EventMessage<?>> events = story("b-3", "EUR", "10.00", "1.00");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        for (int from = 0; from < events.size(); from++) {
            processor.deliver(events.subList(from, events.size()));
        }
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aBatchRolledBackAndHandledAgainEventByEventLeavesTheRowsOfOneDelivery() {
        List<EventMessage<?>> events = story("b-4", "EUR", "10.00", "1.00");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        processor.reset();

        processor.deliverAndRollBack(events);
        assertThat(projection.handle(new FindPerformanceQuery("b-4", null))).isEmpty();
        processor.deliverEventByEvent(events);
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aReplayRebuildsTheSameRowsHoweverTheEventsAreBatched() {
        List<EventMessage<?>> events = new ArrayList<>();
        for (String bondId : List.of("r-1", "r-2", "r-3")) {
            events.addAll(story(bondId, "EUR", "10.00", "1.00"));
        }
        processor.deliverInBatches(events, 5);
        Map<String, List<String>> live = database.rows();
        assertThat(live.get("performance_fact")).isNotEmpty();

        for (int size : new int[]{1, 3, events.size()}) {
            processor.reset();
            assertThat(database.rows().get("performance_fact")).isEmpty();
            processor.deliverInBatches(events, size);
            assertThat(database.rows()).as("replayed in batches of %d", size).isEqualTo(live);
        }
    }
}
