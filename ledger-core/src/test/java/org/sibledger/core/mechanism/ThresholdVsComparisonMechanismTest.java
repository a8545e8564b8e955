package org.sibledger.core.mechanism;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sibledger.core.mechanism.TestBonds.cohort;
import static org.sibledger.core.mechanism.TestBonds.dec;
import static org.sibledger.core.mechanism.TestBonds.metrics;
import static org.sibledger.core.mechanism.TestBonds.onePayer;

class ThresholdVsComparisonMechanismTest {

    private static final String METRIC = "reconvictions";
    private static final PricingFacts SIZES = new PricingFacts(Map.of("c1", 1000, "c2", 1000, "c3", 500),
            BigDecimal.ZERO, false);

    private static BondTerms threshold(boolean lowerIsBetter, String unitScale, String cap) {
        return TestBonds.terms("GBP", null, onePayer(null), metrics(METRIC), new PaymentMechanism.ThresholdVsComparison(
                METRIC, lowerIsBetter, dec("0.10"), dec("0.075"), dec("1000.00"), dec(unitScale), dec(cap)));
    }

    private static Ledger ledger(String cap) {
        return new Ledger(threshold(true, "100", cap), SIZES);
    }

    @Test
    void aCohortReachingTheCohortThresholdPaysWhenItsResultIsApproved() {
        List<DuePayout> due = ledger(null).approve(cohort("r-1", "c1", METRIC, "130", "155"));

        assertThat(due).singleElement().satisfies(line -> {
            assertThat(line.key()).isEqualTo("cohort:r-1:reconvictions:c1:payer");
            assertThat(line.cohortId()).isEqualTo("c1");
            assertThat(line.measurementId()).isEqualTo("r-1");
            assertThat(line.payable()).isEqualByComparingTo("250000.00");
            assertThat(line.rule()).isEqualTo("threshold vs comparison: c1 130 vs 155 per 100, improvement 16.13%"
                    + " reaches the cohort threshold 10.00%; 250 units improved at GBP 1000.00");
        });
    }

    @Test
    void aCohortBelowTheCohortThresholdPaysNothingEarly() {
        assertThat(ledger(null).approve(cohort("r-1", "c1", METRIC, "142", "155"))).isEmpty();
    }

    @Test
    void whereHigherIsBetterTheImprovementIsTreatedOverComparisonLessOne() {
        Ledger ledger = new Ledger(threshold(false, "1", null), SIZES);

        assertThat(ledger.approve(cohort("r-1", "c1", METRIC, "0.54", "0.50"))).isEmpty();
        assertThat(ledger.approve(cohort("r-2", "c1", METRIC, "0.60", "0.50"))).singleElement()
                .satisfies(line -> assertThat(line.payable()).isEqualByComparingTo("100000.00"));
    }

    @Test
    void theLatestResultOfACohortCountsAndAWorseOnePaysNothingMore() {
        Ledger ledger = ledger(null);
        ledger.approve(cohort("r-1", "c1", METRIC, "130", "155"));
        List<DuePayout> better = ledger.approve(cohort("r-2", "c1", METRIC, "120", "155"));
        List<DuePayout> worse = ledger.approve(cohort("r-3", "c1", METRIC, "125", "155"));
        List<DuePayout> belowThreshold = ledger.approve(cohort("r-4", "c1", METRIC, "150", "155"));

        assertThat(better).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("100000.00");
            assertThat(line.rule()).endsWith("less GBP 250000.00 already due for an earlier result");
        });
        assertThat(worse).isEmpty();
        assertThat(belowThreshold).isEmpty();
        assertThat(ledger.paid()).isEqualByComparingTo("350000.00");
    }

    @Test
    void atMaturityThePooledImprovementPaysOnceForTheCohortsThatDidNotPayEarly() {
        Ledger ledger = ledger(null);
        ledger.approve(cohort("r-1", "c1", METRIC, "130", "155"));
        ledger.approve(cohort("r-2", "c2", METRIC, "145", "155"));
        ledger.approve(cohort("r-3", "c3", METRIC, "144", "155"));

        assertThat(ledger.lines()).hasSize(1);
        assertThat(ledger.mature()).singleElement().satisfies(line -> {
            assertThat(line.key()).isEqualTo("pooled:reconvictions:payer");
            assertThat(line.measurementId()).isNull();
            assertThat(line.cohortId()).isNull();
            assertThat(line.payable()).isEqualByComparingTo("155000.00");
            assertThat(line.rule()).isEqualTo("threshold vs comparison at maturity: pooled improvement 10.45% of 3"
                    + " cohorts weighted by size reaches the pooled threshold 7.50%; pays for c2, c3: 155 units"
                    + " improved at GBP 1000.00");
        });
    }

    @Test
    void aPooledImprovementBelowThePooledThresholdPaysNothing() {
        Ledger ledger = ledger(null);
        ledger.approve(cohort("r-1", "c1", METRIC, "145", "155"));
        ledger.approve(cohort("r-2", "c2", METRIC, "146", "155"));

        assertThat(ledger.mature()).isEmpty();
    }

    @Test
    void nothingIsDueAtMaturityWhenEveryCohortPaidEarly() {
        Ledger ledger = ledger(null);
        ledger.approve(cohort("r-1", "c1", METRIC, "130", "155"));

        assertThat(ledger.mature()).isEmpty();
    }

    @Test
    void theMechanismCapBoundsEarlyAndPooledPaymentsTogether() {
        Ledger ledger = ledger("300000.00");
        ledger.approve(cohort("r-1", "c1", METRIC, "130", "155"));
        ledger.approve(cohort("r-2", "c2", METRIC, "145", "155"));
        ledger.approve(cohort("r-3", "c3", METRIC, "144", "155"));

        assertThat(ledger.mature()).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("50000.00");
            assertThat(line.capped()).isEqualByComparingTo("105000.00");
            assertThat(line.rule()).endsWith("; capped by the mechanism cap GBP 300000.00");
        });
        assertThat(ledger.paid()).isEqualByComparingTo("300000.00");
    }

    @Test
    void maturityGivesTheSameLinesUnderTheSameKeysEveryTime() {
        Ledger ledger = ledger(null);
        ledger.approve(cohort("r-1", "c1", METRIC, "145", "155"));
        ledger.approve(cohort("r-2", "c2", METRIC, "140", "155"));
        List<DuePayout> first = ledger.mature();

        assertThat(ledger.mature()).isEqualTo(first);
    }

    @Test
    void anApprovalAfterMaturityIsPricedAfterThePooledPayment() {
        BondTerms terms = threshold(true, "100", "200000.00");
        PricingFacts matured = new PricingFacts(SIZES.cohortSizes(), BigDecimal.ZERO, true);
        List<ApprovedMeasurement> before = List.of(cohort("r-1", "c1", METRIC, "145", "155"),
                cohort("r-2", "c2", METRIC, "140", "155"));
        assertThat(PaymentMechanisms.dueAtMaturity(terms, matured, before)).singleElement()
                .satisfies(line -> assertThat(line.payable()).isEqualByComparingTo("200000.00"));

        assertThat(PaymentMechanisms.newlyDue(terms, matured, before, cohort("r-3", "c3", METRIC, "100", "155")))
                .singleElement().satisfies(line -> {
                    assertThat(line.payable()).isEqualByComparingTo("0");
                    assertThat(line.capped()).isEqualByComparingTo("275000.00");
                });
        assertThat(PaymentMechanisms.newlyDue(terms, matured, before, cohort("r-4", "c1", METRIC, "100", "155")))
                .isEmpty();
    }

    @Test
    void aResultForACohortOfUnknownSizeIsRefused() {
        assertThatThrownBy(() -> ledger(null).approve(cohort("r-1", "c9", METRIC, "130", "155")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c9");
    }

    @Test
    void maturityPaymentsArePricedOnlyForAMaturedBond() {
        assertThatThrownBy(() -> PaymentMechanisms.dueAtMaturity(threshold(true, "100", null), SIZES, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resultsForOtherMetricsPayNothing() {
        assertThat(ledger(null).approve(cohort("r-1", "c1", "employment", "100", "155"))).isEmpty();
    }
}
