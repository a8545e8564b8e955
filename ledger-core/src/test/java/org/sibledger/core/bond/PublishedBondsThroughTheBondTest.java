package org.sibledger.core.bond;

import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Published bonds end to end through the aggregate: what the payer is asked to pay comes out of approvals and
 * maturity exactly as published (shared/fixtures; the mechanism-level acceptance tests check every figure).
 */
class PublishedBondsThroughTheBondTest {

    private static final LocalDate DAY = LocalDate.parse("2016-01-04");

    @Test
    void educateGirlsPaysTheUsd422000MaximumAndNotACentMore() {
        BondTerms terms = terms("educate-girls", "USD", new PaymentMechanism.WeightedTargets(new BigDecimal("422000.00"),
                List.of(new PaymentMechanism.Target("learning", new BigDecimal("5592"), new BigDecimal("0.8")),
                        new PaymentMechanism.Target("enrolment", new BigDecimal("0.79"), new BigDecimal("0.2")))),
                List.of(new BondTerms.Metric("learning", "ASER learning gains", false),
                        new BondTerms.Metric("enrolment", "Out-of-school girls enrolled", false)));
        BondHarness bond = opened(terms);
        BigDecimal paid = approve(bond, "m-1", new Measurement.TargetResult("learning", new BigDecimal("8940")))
                .add(approve(bond, "m-2", new Measurement.TargetResult("enrolment", new BigDecimal("0.92"))));
        assertThat(paid).isEqualByComparingTo("422000.00");
        // an even better result, approved later, adds nothing
        assertThat(approve(bond, "m-3", new Measurement.TargetResult("learning", new BigDecimal("9500")))).isZero();
    }

    @Test
    void peterboroughPaysNothingEarlyAndOncePooledAtMaturity() {
        // Price and cohort sizes were not published: GBP 1,000 per reconviction event avoided and cohorts of 1,000
        // are illustrative; cohort 2's 141 vs 156 is illustrative too (fixtures/peterborough.json says so).
        BondTerms terms = terms("peterborough", "GBP", new PaymentMechanism.ThresholdVsComparison("reconviction", true,
                        new BigDecimal("0.10"), new BigDecimal("0.075"), new BigDecimal("1000.00"), new BigDecimal("100"), null),
                List.of(new BondTerms.Metric("reconviction", "Reconviction events per 100", false)));
        BondHarness bond = opened(terms);
        bond.run("arranger", new OpenCohortCommand("peterborough", "cohort-1", "Cohort 1", 1000, DAY));
        bond.run("arranger", new OpenCohortCommand("peterborough", "cohort-2", "Cohort 2", 1000, DAY));
        assertThat(approve(bond, "m-1", new Measurement.CohortResult("cohort-1", "reconviction", "2010-2012",
                new BigDecimal("142"), new BigDecimal("155")))).as("8.4% < 10%: no early payment").isZero();
        assertThat(approve(bond, "m-2", new Measurement.CohortResult("cohort-2", "reconviction", "2012-2014",
                new BigDecimal("141"), new BigDecimal("156")))).as("9.6% < 10%: no early payment").isZero();
        List<EventMessage<?>> matured = bond.run("arranger", new MatureBondCommand("peterborough"));
        List<PayoutTriggeredEvent> pooled = matured.stream().map(EventMessage::getPayload)
                .filter(PayoutTriggeredEvent.class::isInstance).map(PayoutTriggeredEvent.class::cast).toList();
        assertThat(pooled).hasSize(1);
        // (155 - 142 + 156 - 141) events per 100 x 1,000 people = 280 events avoided, at GBP 1,000 each
        assertThat(pooled.get(0).payable()).isEqualByComparingTo("280000.00");
        assertThat(pooled.get(0).measurementId()).isNull();
        bond.refuses("arranger", new MatureBondCommand("peterborough"), "bond-matured");
    }

    private static BigDecimal approve(BondHarness bond, String measurementId, Measurement measurement) {
        String bondId = bond.history().get(0).getPayload() instanceof org.sibledger.contracts.bond.BondStructuredEvent s
                ? s.bondId() : null;
        bond.run("evaluator", new SubmitMeasurementCommand(bondId, measurementId, measurement, "report-" + measurementId, null));
        return bond.run("payer", new DecideOnMeasurementCommand(bondId, measurementId, Decision.APPROVE, "verified"))
                .stream().map(EventMessage::getPayload).filter(PayoutTriggeredEvent.class::isInstance)
                .map(p -> ((PayoutTriggeredEvent) p).payable()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BondHarness opened(BondTerms terms) {
        BondHarness bond = new BondHarness(terms);
        bond.run("investor", new MakeCommitmentCommand(terms.bondId(), "investor", "senior", new BigDecimal("270000.00")));
        bond.run("arranger", new OpenBondCommand(terms.bondId()));
        return bond;
    }

    private static BondTerms terms(String bondId, String currency, PaymentMechanism mechanism, List<BondTerms.Metric> metrics) {
        BondTerms base = TestTerms.rateCard(bondId);
        return new BondTerms(bondId, bondId, currency, null, base.serviceStart(), base.serviceEnd(),
                new BondTerms.Parties("arranger", List.of("provider"),
                        List.of(new BondTerms.OutcomePayer("payer", BigDecimal.ONE, null)), List.of("evaluator"),
                        List.of("investor")),
                metrics, mechanism, base.investorTerms());
    }
}
