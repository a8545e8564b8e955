package org.sibledger.projections.bond;

import org.sibledger.projections.support.ProjectionTestBase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondClosedEvent;
import org.sibledger.contracts.bond.BondMaturedEvent;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.FindBondQuery;
import org.sibledger.contracts.bond.ListBondsQuery;
import org.sibledger.contracts.bond.PartyAdmittedEvent;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.projections.support.TestTerms;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bonds read model alone, on PostgreSQL with the ledger's schema, fed as the event processor feeds it. */
class BondProjectionTest extends ProjectionTestBase<BondProjection> {

    @Override
    protected BondProjection newProjection(JdbcTemplate jdbc) {
        return new BondProjection(jdbc);
    }

    /** A bond's life: structured, a party admitted, its terms varied, opened, matured and closed. */
    private List<EventMessage<?>> life(String bondId, BondTerms terms, BondTerms varied) {
        List<EventMessage<?>> events = new ArrayList<>();
        events.add(stream.next(bondId, new BondStructuredEvent(bondId, terms), "arranger-1"));
        events.add(stream.next(bondId, new PartyAdmittedEvent(bondId, PartyRole.INVESTOR, "investor-2")));
        events.add(stream.next(bondId, new TermsAmendedEvent(bondId, terms, varied, "payer b left",
                LocalDate.of(2024, 6, 1), List.of("payer-a"))));
        events.add(stream.next(bondId, new BondOpenedEvent(bondId, new BigDecimal("500000"))));
        return events;
    }

    @Test
    void aBondsTermsStatusAndPartiesFollowItsEvents() {
        BondTerms terms = TestTerms.rateCard("b-1", "GBP");
        processor.deliver(stream.next("b-1", new BondStructuredEvent("b-1", terms), "arranger-1"));

        BondView structured = projection.handle(new FindBondQuery("b-1")).orElseThrow();
        assertThat(structured.status()).isEqualTo(BondStatus.STRUCTURED);
        assertThat(structured.terms()).isEqualTo(terms);
        assertThat(structured.structuredBy()).isEqualTo("arranger-1");
        assertThat(structured.structuredAt()).isEqualTo(START);
        assertThat(projection.handle(new ListBondsQuery("payer-b", 0, 10)).items()).extracting(BondView::bondId)
                .containsExactly("b-1");

        processor.deliver(stream.next("b-1", new PartyAdmittedEvent("b-1", PartyRole.SERVICE_PROVIDER, "provider-2")),
                stream.next("b-1", new BondOpenedEvent("b-1", new BigDecimal("500000"))),
                stream.next("b-1", new BondMaturedEvent("b-1")));
        BondView matured = projection.handle(new FindBondQuery("b-1")).orElseThrow();
        assertThat(matured.status()).isEqualTo(BondStatus.MATURED);
        assertThat(matured.lastSequence()).isEqualTo(3);
        assertThat(matured.terms().parties().serviceProviders()).containsExactly("provider", "provider-2");
        assertThat(projection.handle(new ListBondsQuery("provider-2", 0, 10)).totalItems()).isEqualTo(1);

        processor.deliver(stream.next("b-1", new BondClosedEvent("b-1")));
        assertThat(projection.handle(new FindBondQuery("b-1")).orElseThrow().status()).isEqualTo(BondStatus.CLOSED);
    }

    @Test
    void aVariationReplacesTheTermsAndThePartiesThatListTheBond() {
        BondTerms terms = TestTerms.rateCard("b-2", "GBP");
        BondTerms varied = TestTerms.rateCard("b-2", "Bond b-2, varied", "GBP", new BigDecimal("800000"),
                new BigDecimal("1200"), List.of(new BondTerms.OutcomePayer("payer-a", BigDecimal.ONE, null)));
        processor.deliver(life("b-2", terms, varied));

        BondView view = projection.handle(new FindBondQuery("b-2")).orElseThrow();
        assertThat(view.name()).isEqualTo("Bond b-2, varied");
        assertThat(view.terms()).isEqualTo(varied);
        assertThat(view.status()).isEqualTo(BondStatus.OPEN);
        assertThat(projection.handle(new ListBondsQuery("payer-b", 0, 10)).items()).isEmpty();
        assertThat(projection.handle(new ListBondsQuery("payer-a", 0, 10)).items()).hasSize(1);
        // the investor admitted before the variation is not in the varied terms: the variation states all parties
        assertThat(projection.handle(new ListBondsQuery("investor-2", 0, 10)).items()).isEmpty();
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        BondTerms terms = TestTerms.rateCard("b-3", "GBP");
        List<EventMessage<?>> events = life("b-3", terms, TestTerms.rateCard("b-3", "Bond b-3, varied", "GBP",
                new BigDecimal("900000"), new BigDecimal("900")));
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();

        // a later batch failed and the token went back: the same events again, whole and from the middle
        processor.deliver(events);
        processor.deliver(events.subList(1, events.size()));
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aBatchRolledBackAndHandledAgainEventByEventLeavesTheRowsOfOneDelivery() {
        BondTerms terms = TestTerms.rateCard("b-4", "GBP");
        List<EventMessage<?>> events = life("b-4", terms, TestTerms.rateCard("b-4", "Bond b-4, varied", "GBP",
                new BigDecimal("900000"), new BigDecimal("900")));
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        processor.reset();

        processor.deliverAndRollBack(events);
        assertThat(projection.handle(new FindBondQuery("b-4"))).isEmpty();
        processor.deliverEventByEvent(events);
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void amountsAtTheBoundsOfEachCurrencyAreKeptExactly() {
        for (String[] currency : new String[][]{{"b-jpy", "JPY", TestTerms.LARGEST_JPY.toPlainString()},
                {"b-gbp", "GBP", TestTerms.LARGEST_GBP.toPlainString()}, {"b-kwd", "KWD", TestTerms.LARGEST_KWD.toPlainString()}}) {
            BigDecimal largest = new BigDecimal(currency[2]);
            BondTerms terms = TestTerms.rateCard(currency[0], "Bond " + currency[1], currency[1], largest, largest);
            processor.deliver(stream.next(currency[0], new BondStructuredEvent(currency[0], terms)));
            BondView view = projection.handle(new FindBondQuery(currency[0])).orElseThrow();
            assertThat(view.currency()).isEqualTo(currency[1]);
            assertThat(view.terms().contractCap()).isEqualTo(largest);
            assertThat(view.terms()).isEqualTo(terms);
        }
    }

    @Test
    void aReplayRebuildsTheSameRows() {
        List<EventMessage<?>> events = new ArrayList<>();
        for (String bondId : List.of("r-1", "r-2", "r-3")) {
            events.addAll(life(bondId, TestTerms.rateCard(bondId, "EUR"), TestTerms.rateCard(bondId,
                    "Bond " + bondId + ", varied", "EUR", new BigDecimal("750000"), new BigDecimal("750"))));
            events.add(stream.next(bondId, new BondMaturedEvent(bondId)));
        }
        processor.deliverInBatches(events, 4);
        Map<String, List<String>> live = database.rows();
        assertThat(live.get("bond_view")).hasSize(3);

        processor.reset();
        assertThat(projection.handle(new ListBondsQuery(null, 0, 10)).totalItems()).isZero();
        processor.deliver(events);
        assertThat(database.rows()).isEqualTo(live);
    }
}
