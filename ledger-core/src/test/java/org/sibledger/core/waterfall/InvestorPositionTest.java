package org.sibledger.core.waterfall;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.sibledger.core.waterfall.TestInvestors.dec;
import static org.sibledger.core.waterfall.TestInvestors.day;

class InvestorPositionTest {

    @Test
    void foldsCommitmentsCallsFundingsAndDistributions() {
        InvestorPosition position = InvestorPosition.open("investor", "senior")
                .committed(dec("1000.00"))
                .committed(dec("500.00"))
                .called(dec("600.00"))
                .funded(day("2021-01-01"), dec("600.00"))
                .called(dec("400.00"))
                .funded(day("2021-07-01"), dec("400.00"))
                .distributed(day("2022-01-01"), dec("250.00"), BigDecimal.ZERO)
                .distributed(day("2023-01-01"), dec("750.00"), dec("120.00"));

        assertThat(position.committed()).isEqualTo(dec("1500.00"));
        assertThat(position.called()).isEqualTo(dec("1000.00"));
        assertThat(position.uncalledCommitment()).isEqualTo(dec("500.00"));
        assertThat(position.funded()).isEqualTo(dec("1000.00"));
        assertThat(position.distributedPrincipal()).isEqualTo(dec("1000.00"));
        assertThat(position.distributedReturn()).isEqualTo(dec("120.00"));
        assertThat(position.outstandingPrincipal()).isEqualByComparingTo("0");
        assertThat(position.multiple()).hasValue(dec("1.1200"));
        assertThat(position.cashFlows()).containsExactly(CashFlow.of("2021-01-01", "-600.00"),
                CashFlow.of("2021-07-01", "-400.00"), CashFlow.of("2022-01-01", "250.00"), CashFlow.of("2023-01-01", "870.00"));
        assertThat(position.irr()).hasValueSatisfying(irr ->
                assertThat(irr.doubleValue()).isCloseTo(XirrTest.independentRoot(position.cashFlows()), offset(1e-7)));
    }

    @Test
    void aPositionWithNothingBackHasNoRateYet() {
        InvestorPosition position = InvestorPosition.open("investor", "senior").committed(dec("100"))
                .called(dec("100")).funded(day("2021-01-01"), dec("100"));

        assertThat(position.irr()).isEmpty();
        assertThat(position.multiple()).hasValue(dec("0.0000"));
        assertThat(InvestorPosition.open("investor", "senior").multiple()).isEmpty();
    }
}
