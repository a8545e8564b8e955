package org.sibledger.core.mechanism;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.mechanism.TestBonds.dec;
import static org.sibledger.core.mechanism.TestBonds.metrics;
import static org.sibledger.core.mechanism.TestBonds.onePayer;
import static org.sibledger.core.mechanism.TestBonds.savings;

class SavingsShareMechanismTest {

    private static final List<PaymentMechanism.SavingsTier> ALUMA = List.of(
            new PaymentMechanism.SavingsTier(dec("8000000"), BigDecimal.ONE),
            new PaymentMechanism.SavingsTier(dec("8800000"), BigDecimal.ONE),
            new PaymentMechanism.SavingsTier(null, BigDecimal.ZERO));

    private static BondTerms utah(String fundedRate) {
        return TestBonds.terms("USD", null, onePayer(null), metrics("special-education-avoided"),
                new PaymentMechanism.SavingsShare("special-education-avoided", dec("0.95"), dec("0.40"),
                        dec(fundedRate), List.of(), null));
    }

    private static Ledger aluma(String cap) {
        return new Ledger(TestBonds.terms("ILS", null, onePayer(null), metrics("dropout-avoided"),
                new PaymentMechanism.SavingsShare("dropout-avoided", null, null, null, ALUMA, dec(cap))));
    }

    private static PricingFacts funded(String capital) {
        return new PricingFacts(Map.of(), dec(capital), false);
    }

    @Test
    void utahPaysTheFirstShareUntilInvestorsHaveCapitalAndSimpleInterestThenTheSecond() {
        Ledger ledger = new Ledger(utah("0.05"), funded("1000000.00"));
        DuePayout early = ledger.approve(savings("s-1", "500000.00", "2014")).get(0);
        DuePayout switching = ledger.approve(savings("s-2", "1000000.00", "2015")).get(0);

        assertThat(early.payable()).isEqualByComparingTo("475000.00");
        assertThat(early.rule()).isEqualTo("share of savings: cumulative savings USD 500000.00 at 95.00% until investors"
                + " have received USD 1050000.00 (funded capital USD 1000000.00 x (1 + 5.00%), simple interest),"
                + " then 40.00% gives USD 475000.00 in all");
        // 1,050,000 repays at savings of 1,050,000 / 0.95 = 1,105,263.16; the 394,736.84 beyond it pays 40%.
        assertThat(switching.payable()).isEqualByComparingTo("732894.74");
        assertThat(ledger.paid()).isEqualByComparingTo("1207894.74");
    }

    @Test
    void utahWithNothingToRepayPaysTheSecondShareAtOnce() {
        Ledger ledger = new Ledger(utah("0.05"), funded("0"));

        assertThat(ledger.approve(savings("s-1", "1000.00", "2014")).get(0).payable()).isEqualByComparingTo("400.00");
    }

    @Test
    void alumaTiersPayAllSavingsUpTo8mThenAllOfTheNext08mThenNothing() {
        Ledger ledger = aluma(null);

        assertThat(ledger.approve(savings("s-1", "5000000", "2016")).get(0).payable()).isEqualByComparingTo("5000000.00");
        assertThat(ledger.approve(savings("s-2", "4000000", "2017")).get(0).payable()).isEqualByComparingTo("3800000.00");
        assertThat(ledger.approve(savings("s-3", "1000000", "2018"))).isEmpty();
        assertThat(ledger.paid()).isEqualByComparingTo("8800000.00");
    }

    @Test
    void theCapPaysTheCrossingSavingsInPart() {
        Ledger ledger = aluma("6000000.00");
        ledger.approve(savings("s-1", "5000000", "2016"));
        DuePayout crossing = ledger.approve(savings("s-2", "4000000", "2017")).get(0);

        assertThat(crossing.payable()).isEqualByComparingTo("1000000.00");
        assertThat(crossing.capped()).isEqualByComparingTo("2800000.00");
        assertThat(crossing.rule()).endsWith("; capped by the mechanism cap ILS 6000000.00");
    }

    @Test
    void aCorrectionOfAPeriodReplacesItAndALowerFigurePaysNothingBack() {
        Ledger ledger = aluma(null);
        ledger.approve(savings("s-1", "5000000", "2016"));
        List<DuePayout> lowered = ledger.approve(savings("s-2", "4000000", "2016"));
        List<DuePayout> nextYear = ledger.approve(savings("s-3", "2000000", "2017"));

        assertThat(lowered).isEmpty();
        assertThat(nextYear).singleElement()
                .satisfies(line -> assertThat(line.payable()).isEqualByComparingTo("1000000.00"));
        assertThat(ledger.paid()).isEqualByComparingTo("6000000.00");
    }

    @Test
    void savingsWithoutAPeriodAddUp() {
        Ledger ledger = aluma(null);
        ledger.approve(savings("s-1", "1000000", null));
        ledger.approve(savings("s-2", "1000000", null));

        assertThat(ledger.paid()).isEqualByComparingTo("2000000.00");
    }
}
