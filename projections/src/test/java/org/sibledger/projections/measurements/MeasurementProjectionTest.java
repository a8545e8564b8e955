package org.sibledger.projections.measurements;

import org.sibledger.projections.support.ProjectionTestBase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.FindMeasurementQuery;
import org.sibledger.contracts.measurement.ListMeasurementsQuery;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.measurement.MeasurementSupersededEvent;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.projections.support.TestTerms;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The measurements read model alone, on PostgreSQL with the ledger's schema, fed as the event processor feeds it. */
class MeasurementProjectionTest extends ProjectionTestBase<MeasurementProjection> {

    @Override
    protected MeasurementProjection newProjection(JdbcTemplate jdbc) {
        return new MeasurementProjection(jdbc);
    }

    private EventMessage<?> structured(String bondId, String currency) {
        return stream.next(bondId, new BondStructuredEvent(bondId, TestTerms.rateCard(bondId, currency)));
    }

    private static Measurement claims(String... participants) {
        List<Measurement.OutcomeClaim> claims = new ArrayList<>();
        for (String participant : participants) {
            claims.add(new Measurement.OutcomeClaim(participant, "job", LocalDate.of(2024, 2, 1), "ev-" + participant));
        }
        return new Measurement.OutcomeClaims(claims);
    }

    private EventMessage<?> submitted(String bondId, String measurementId, Measurement measurement, String supersedes) {
        return stream.next(bondId, new MeasurementSubmittedEvent(bondId, measurementId, "evaluator", measurement,
                "report-" + measurementId, supersedes), "evaluator");
    }

    private EventMessage<?> triggered(String bondId, String payoutId, String measurementId, String payable, String capped) {
        return stream.next(bondId, new PayoutTriggeredEvent(bondId, payoutId, measurementId, "payer-a", "job", null,
                null, new BigDecimal(payable).add(new BigDecimal(capped)), new BigDecimal(payable),
                new BigDecimal(capped), "RATE_CARD", 1));
    }

    private MeasurementView find(String bondId, String measurementId) {
        return projection.handle(new FindMeasurementQuery(bondId, measurementId)).orElseThrow();
    }

    private List<MeasurementView> list(String bondId, String status) {
        return projection.handle(new ListMeasurementsQuery(bondId, status, null, 0, 50)).items();
    }

    private static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    @Test
    void aSubmissionWaitsInTheQueueUntilDecidedAndShowsItsPayouts() {
        Measurement measurement = claims("p-1", "p-2");
        processor.deliver(structured("b-1", "JPY"), submitted("b-1", "m-1", measurement, null),
                submitted("b-1", "m-2", new Measurement.CohortResult("c-1", "job", "2024-Q1", new BigDecimal("0.4"),
                        new BigDecimal("0.5")), null));

        MeasurementView queued = find("b-1", "m-1");
        assertThat(queued.status()).isEqualTo("SUBMITTED");
        assertThat(queued.type()).isEqualTo("OUTCOME_CLAIMS");
        assertThat(queued.metric()).isEqualTo("job");
        assertThat(queued.units()).isEqualTo(2);
        assertThat(queued.evidenceRefs()).containsExactly("report-m-1", "ev-p-1", "ev-p-2");
        assertThat(queued.measurement()).isEqualTo(measurement);
        assertThat(queued.submittedAt()).isEqualTo(START.plus(Duration.ofMinutes(1)));
        assertThat(queued.payable()).isEqualTo(money("0", "JPY"));
        assertThat(find("b-1", "m-2").cohortId()).isEqualTo("c-1");
        assertThat(list("b-1", "SUBMITTED")).extracting(MeasurementView::measurementId).containsExactly("m-1", "m-2");
        assertThat(projection.handle(new ListMeasurementsQuery("b-1", null, "evaluator", 0, 1)).totalItems()).isEqualTo(2);

        processor.deliver(stream.next("b-1", new MeasurementApprovedEvent("b-1", "m-1", "payer-a", "fine"), "payer-a"),
                triggered("b-1", "po-1", "m-1", "600000", "0"), triggered("b-1", "po-2", "m-1", "400000", "1000"),
                triggered("b-1", "po-3", "m-1", "5", "0"),
                stream.next("b-1", new PayoutCancelledEvent("b-1", "po-3", "mistake")),
                stream.next("b-1", new MeasurementRejectedEvent("b-1", "m-2", "payer-a", "no comparison group")));
        MeasurementView approved = find("b-1", "m-1");
        assertThat(approved.status()).isEqualTo("APPROVED");
        assertThat(approved.decidedBy()).isEqualTo("payer-a");
        assertThat(approved.reason()).isEqualTo("fine");
        assertThat(approved.decidedAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
        assertThat(approved.payable()).isEqualTo(money("1000000", "JPY"));
        assertThat(approved.capped()).isEqualTo(money("1000", "JPY"));
        assertThat(find("b-1", "m-2").status()).isEqualTo("REJECTED");
        assertThat(list("b-1", "SUBMITTED")).isEmpty();
    }

    @Test
    void aCorrectionSupersedesTheMeasurementItReplacesAndALateDecisionOnItChangesNothing() {
        processor.deliver(structured("b-2", "GBP"), submitted("b-2", "m-1", claims("p-1"), null),
                submitted("b-2", "m-2", claims("p-1", "p-2"), "m-1"),
                stream.next("b-2", new MeasurementSupersededEvent("b-2", "m-1", "m-2")),
                stream.next("b-2", new MeasurementApprovedEvent("b-2", "m-1", "payer-a", "late")));
        MeasurementView replaced = find("b-2", "m-1");
        assertThat(replaced.status()).isEqualTo("SUPERSEDED");
        assertThat(replaced.supersededBy()).isEqualTo("m-2");
        assertThat(replaced.decidedBy()).isNull();
        assertThat(find("b-2", "m-2").supersedes()).isEqualTo("m-1");
        assertThat(list("b-2", "SUBMITTED")).extracting(MeasurementView::measurementId).containsExactly("m-2");
    }

    @Test
    void aDisputeIsResolvedByTheReviewerAndARejectionCancelsThePayouts() {
        processor.deliver(structured("b-3", "EUR"), submitted("b-3", "m-1", claims("p-1"), null),
                stream.next("b-3", new MeasurementApprovedEvent("b-3", "m-1", "payer-a", null)),
                triggered("b-3", "po-1", "m-1", "1000.00", "0"),
                stream.next("b-3", new MeasurementDisputedEvent("b-3", "m-1", "payer-b", "not employed")),
                submitted("b-3", "m-2", claims("p-2"), null),
                stream.next("b-3", new MeasurementDisputedEvent("b-3", "m-2", "payer-b", "unclear")));
        assertThat(list("b-3", "DISPUTED")).extracting(MeasurementView::measurementId).containsExactly("m-1", "m-2");
        assertThat(find("b-3", "m-1").decidedBy()).isEqualTo("payer-b");

        processor.deliver(
                stream.next("b-3", new DisputeResolvedEvent("b-3", "m-1", "reviewer", DisputeResolution.REJECT, "right")),
                stream.next("b-3", new PayoutCancelledEvent("b-3", "po-1", "measurement rejected")),
                stream.next("b-3", new DisputeResolvedEvent("b-3", "m-2", "reviewer", DisputeResolution.UPHOLD, "fine")),
                stream.next("b-3", new MeasurementApprovedEvent("b-3", "m-2", "reviewer", "upheld")));
        MeasurementView rejected = find("b-3", "m-1");
        assertThat(rejected.status()).isEqualTo("REJECTED");
        assertThat(rejected.decidedBy()).isEqualTo("reviewer");
        assertThat(rejected.payable()).isEqualTo(money("0.00", "EUR"));
        MeasurementView upheld = find("b-3", "m-2");
        assertThat(upheld.status()).isEqualTo("APPROVED");
        assertThat(upheld.reason()).isEqualTo("fine");
    }

    @Test
    void amountsAtTheBoundsAreSummedExactly() {
        String gbp = TestTerms.LARGEST_GBP.toPlainString();
        processor.deliver(structured("b-gbp", "GBP"), submitted("b-gbp", "m-1", claims("p-1"), null),
                triggered("b-gbp", "g-1", "m-1", gbp, gbp), triggered("b-gbp", "g-2", "m-1", "0.01", "0"),
                structured("b-kwd", "KWD"), submitted("b-kwd", "m-1", claims("p-1"), null),
                triggered("b-kwd", "k-1", "m-1", TestTerms.LARGEST_KWD.toPlainString(), "0.001"));
        assertThat(find("b-gbp", "m-1").payable()).isEqualTo(money("1000000000000000.00", "GBP"));
        assertThat(find("b-gbp", "m-1").capped()).isEqualTo(money(gbp, "GBP"));
        assertThat(find("b-kwd", "m-1").payable()).isEqualTo(money(TestTerms.LARGEST_KWD.toPlainString(), "KWD"));
        assertThat(find("b-kwd", "m-1").capped()).isEqualTo(money("0.001", "KWD"));
    }

    private List<EventMessage<?>> history(String bondId) {
        return new ArrayList<>(List.of(structured(bondId, "EUR"), submitted(bondId, "m-1", claims("p-1"), null),
                submitted(bondId, "m-2", claims("p-1", "p-2"), "m-1"),
                stream.next(bondId, new MeasurementSupersededEvent(bondId, "m-1", "m-2")),
                stream.next(bondId, new MeasurementApprovedEvent(bondId, "m-2", "payer-a", null)),
                triggered(bondId, "po-1-" + bondId, "m-2", "100.00", "0"),
                stream.next(bondId, new MeasurementDisputedEvent(bondId, "m-2", "payer-b", "why")),
                stream.next(bondId, new DisputeResolvedEvent(bondId, "m-2", "reviewer", DisputeResolution.REJECT, "no")),
                stream.next(bondId, new PayoutCancelledEvent(bondId, "po-1-" + bondId, "rejected")),
                submitted(bondId, "m-3", claims("p-3"), null),
                stream.next(bondId, new MeasurementDisputedEvent(bondId, "m-3", "payer-b", "why")),
                stream.next(bondId, new DisputeResolvedEvent(bondId, "m-3", "reviewer", DisputeResolution.UPHOLD, "ok")),
                triggered(bondId, "po-2-" + bondId, "m-3", "50.00", "5.00")));
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        List<EventMessage<?>> events = history("b-4");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        assertThat(find("b-4", "m-2").status()).isEqualTo("REJECTED");
        for (int from = 0; from < events.size(); from++) {
            processor.deliver(events.subList(from, events.size()));
        }
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aBatchRolledBackAndHandledAgainEventByEventLeavesTheRowsOfOneDelivery() {
        List<EventMessage<?>> events = history("b-5");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        processor.reset();

        processor.deliverAndRollBack(events);
        assertThat(list("b-5", null)).isEmpty();
        processor.deliverEventByEvent(events);
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aReplayRebuildsTheSameRows() {
        assertReplayRebuildsTheSameRows(ofThreeBonds(this::history), 7, "measurement_view", 9, "measurement_view");
    }
}
