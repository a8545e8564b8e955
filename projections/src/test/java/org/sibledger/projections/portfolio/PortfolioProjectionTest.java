package org.sibledger.projections.portfolio;

import org.sibledger.projections.support.ProjectionTestBase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.investment.CallAllocation;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.CommitmentIncreasedEvent;
import org.sibledger.contracts.investment.CommitmentMadeEvent;
import org.sibledger.contracts.investment.CommitmentWithdrawnEvent;
import org.sibledger.contracts.investment.DistributionLine;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FindPortfolioQuery;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.investment.GuaranteePaymentLine;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.projections.support.TestTerms;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The portfolio read model alone, on PostgreSQL with the ledger's schema, fed as the event processor feeds it. */
class PortfolioProjectionTest extends ProjectionTestBase<PortfolioProjection> {

    private static final LocalDate FUNDED = LocalDate.of(2024, 4, 2);
    private static final LocalDate PAID = LocalDate.of(2026, 1, 15);

    @Override
    protected PortfolioProjection newProjection(JdbcTemplate jdbc) {
        return new PortfolioProjection(jdbc);
    }

    private static BigDecimal amount(String value) {
        return new BigDecimal(value);
    }

    /** An investor's whole round: committed, called, funded, repaid with a return, and paid by a guarantor. */
    private List<EventMessage<?>> round(String bondId, String currency, String commitment, String principal,
                                        String investorReturn) {
        BondTerms terms = TestTerms.rateCard(bondId, currency);
        List<EventMessage<?>> events = new ArrayList<>();
        events.add(stream.next(bondId, new BondStructuredEvent(bondId, terms)));
        events.add(stream.next(bondId, new CommitmentMadeEvent(bondId, "investor", "senior", amount(commitment))));
        events.add(stream.next(bondId, new CommitmentIncreasedEvent(bondId, "investor", "senior", amount("100"),
                amount(commitment).add(amount("100")))));
        events.add(stream.next(bondId, new CommitmentWithdrawnEvent(bondId, "investor", "senior", amount("40"))));
        events.add(stream.next(bondId, new CommitmentMadeEvent(bondId, "guarantor", "guarantee", amount("1000"))));
        events.add(stream.next(bondId, new CapitalCalledEvent(bondId, "call-1", amount(principal), FUNDED,
                List.of(new CallAllocation("investor", "senior", amount(principal))))));
        events.add(stream.next(bondId, new CapitalCallFundedEvent(bondId, "call-1", "investor", "senior",
                amount(principal), FUNDED)));
        events.add(stream.next(bondId, new DistributionMadeEvent(bondId, "d-1", amount(principal).add(amount(investorReturn)),
                PAID, List.of(new DistributionLine("investor", "senior", amount(principal), amount(investorReturn), "WATERFALL")),
                BigDecimal.ZERO, null)));
        events.add(stream.next(bondId, new GuaranteeCalledEvent(bondId, PAID, List.of(new GuaranteePaymentLine(
                "guarantor", "guarantee", "investor", "senior", amount("7.5"), "GUARANTEE")), amount("7.5"), BigDecimal.ZERO)));
        events.add(stream.next(bondId, new TermsAmendedEvent(bondId, terms,
                TestTerms.rateCard(bondId, "Renamed " + bondId, currency, terms.contractCap(), BigDecimal.TEN),
                "renamed", PAID, List.of())));
        return events;
    }

    private PortfolioRecord.Position position(String investorId, String bondId) {
        return projection.handle(new FindPortfolioQuery(investorId)).positions().stream()
                .filter(p -> p.bondId().equals(bondId)).findFirst().orElseThrow();
    }

    @Test
    void anInvestorsPositionSumsItsDatedAmountsAndListsItsCashFlows() {
        processor.deliver(round("b-1", "GBP", "500000.00", "300000.00", "45000.50"));

        PortfolioRecord.Position position = position("investor", "b-1");
        assertThat(position.bondName()).isEqualTo("Renamed b-1");
        assertThat(position.currency()).isEqualTo("GBP");
        assertThat(position.tranche()).isEqualTo("senior");
        assertThat(position.committed()).isEqualTo(amount("500060"));
        assertThat(position.called()).isEqualTo(amount("300000"));
        assertThat(position.funded()).isEqualTo(amount("300000"));
        assertThat(position.distributedPrincipal()).isEqualTo(amount("300000"));
        assertThat(position.distributedReturn()).isEqualTo(amount("45000.5"));
        assertThat(position.guaranteeReceived()).isEqualTo(amount("7.5"));
        assertThat(position.guaranteePaid()).isEqualTo(amount("0"));
        assertThat(position.cashFlows()).containsExactly(new PortfolioRecord.CashFlow(FUNDED, amount("-300000")),
                new PortfolioRecord.CashFlow(PAID, amount("345008")));

        PortfolioRecord.Position guarantor = position("guarantor", "b-1");
        assertThat(guarantor.tranche()).isEqualTo("guarantee");
        assertThat(guarantor.guaranteePaid()).isEqualTo(amount("7.5"));
        assertThat(guarantor.cashFlows()).containsExactly(new PortfolioRecord.CashFlow(PAID, amount("-7.5")));
        assertThat(projection.handle(new FindPortfolioQuery("nobody")).positions()).isEmpty();
    }

    @Test
    void amountsAtTheBoundsAreSummedExactlyInEachCurrency() {
        String gbp = TestTerms.LARGEST_GBP.toPlainString();
        String jpy = TestTerms.LARGEST_JPY.toPlainString();
        processor.deliver(round("b-gbp", "GBP", gbp, gbp, gbp));
        processor.deliver(round("b-jpy", "JPY", jpy, jpy, "1"));
        PortfolioRecord.Position inPounds = position("investor", "b-gbp");
        assertThat(inPounds.committed()).isEqualTo(amount("1000000000000059.99"));
        assertThat(inPounds.cashFlows()).containsExactly(new PortfolioRecord.CashFlow(FUNDED, amount("-" + gbp)),
                new PortfolioRecord.CashFlow(PAID, amount("1999999999999999.98").add(amount("7.5"))));
        PortfolioRecord.Position inYen = position("investor", "b-jpy");
        assertThat(inYen.currency()).isEqualTo("JPY");
        assertThat(inYen.funded()).isEqualTo(amount(jpy));
        assertThat(inYen.cashFlows().get(1).amount()).isEqualTo(amount("1000000000000007.5"));
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        List<EventMessage<?>> events = round("b-3", "EUR", "1000.00", "800.00", "80.00");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        for (int from = 0; from < events.size(); from++) {
            processor.deliver(events.subList(from, events.size()));
        }
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aBatchRolledBackAndHandledAgainEventByEventLeavesTheRowsOfOneDelivery() {
        List<EventMessage<?>> events = round("b-4", "EUR", "1000.00", "800.00", "80.00");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        processor.reset();

        processor.deliverAndRollBack(events);
        assertThat(projection.handle(new FindPortfolioQuery("investor")).positions()).isEmpty();
        processor.deliverEventByEvent(events);
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aReplayRebuildsTheSameRows() {
        List<EventMessage<?>> events = new ArrayList<>();
        for (String bondId : List.of("r-1", "r-2", "r-3")) {
            events.addAll(round(bondId, "CHF", "1000.00", "800.00", "80.00"));
        }
        processor.deliverInBatches(events, 4);
        Map<String, List<String>> live = database.rows();
        assertThat(projection.handle(new FindPortfolioQuery("investor")).positions()).hasSize(3);

        processor.reset();
        assertThat(database.rows().get("portfolio_line")).isEmpty();
        processor.deliver(events);
        assertThat(database.rows()).isEqualTo(live);
    }
}
