package org.sibledger.core.waterfall;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.sibledger.core.waterfall.TestInvestors.dec;
import static org.sibledger.core.waterfall.TestInvestors.day;

class XirrTest {

    @Test
    void tenPercentOverOneYearOf365Days() {
        Optional<BigDecimal> irr = Xirr.of(List.of(CashFlow.of("2021-01-01", "-1000"), CashFlow.of("2022-01-01", "1100")));

        assertThat(irr).hasValueSatisfying(r -> assertThat(r.doubleValue()).isCloseTo(0.1, offset(1e-9)));
    }

    @Test
    void aLeapYearIs366DaysOfTheActual365Count() {
        // 2020 has 366 days, so +10% over it annualises to 1.1^(365/366) - 1, not 10%: actual/365, like Excel.
        Optional<BigDecimal> irr = Xirr.of(List.of(CashFlow.of("2020-01-01", "-1000"), CashFlow.of("2021-01-01", "1100")));

        assertThat(irr).hasValueSatisfying(r ->
                assertThat(r.doubleValue()).isCloseTo(Math.pow(1.1, 365.0 / 366.0) - 1, offset(1e-9)));
        assertThat(irr.orElseThrow().doubleValue()).isCloseTo(0.0997136, offset(1e-6));
    }

    @Test
    void excelsDocumentedExample() {
        List<CashFlow> flows = List.of(CashFlow.of("2008-01-01", "-10000"), CashFlow.of("2008-03-01", "2750"),
                CashFlow.of("2008-10-30", "4250"), CashFlow.of("2009-02-15", "3250"), CashFlow.of("2009-04-01", "2750"));

        BigDecimal irr = Xirr.of(flows).orElseThrow();

        assertThat(irr.doubleValue()).isCloseTo(0.373362535, offset(1e-7));
        assertThat(irr.doubleValue()).isCloseTo(independentRoot(flows), offset(1e-7));
    }

    @Test
    void aLossIsANegativeRate() {
        BigDecimal irr = Xirr.of(List.of(CashFlow.of("2021-01-01", "-1000"), CashFlow.of("2022-01-01", "500"))).orElseThrow();

        assertThat(irr.doubleValue()).isCloseTo(-0.5, offset(1e-9));
    }

    @Test
    void flowsOnTheSameDateAndInAnyOrderGiveTheSameRate() {
        List<CashFlow> flows = List.of(CashFlow.of("2019-06-30", "600"), CashFlow.of("2017-01-01", "-500"),
                CashFlow.of("2017-01-01", "-500"), CashFlow.of("2019-06-30", "550"));

        assertThat(Xirr.of(flows).orElseThrow().doubleValue()).isCloseTo(independentRoot(flows), offset(1e-7));
    }

    @Test
    void aHighRateOverAFewDaysIsFoundToo() {
        List<CashFlow> flows = List.of(CashFlow.of("2021-01-01", "-1000"), CashFlow.of("2021-02-01", "1500"));

        double expected = Math.pow(1.5, 365.0 / 31.0) - 1;
        assertThat(Xirr.of(flows).orElseThrow().doubleValue() / expected).isCloseTo(1.0, offset(1e-9));
    }

    @Test
    void aNearTotalLossOverTwoDaysIsARateOfAlmostMinusOneHundredPercent() {
        // 0.575^(365/2) - 1 is -1 + 1e-44: Newton from 10% leaves the domain and bisection on ln(1 + rate) finds it.
        List<CashFlow> flows = List.of(CashFlow.of("2015-11-24", "-50494.37"), CashFlow.of("2015-11-26", "29027.62"));

        assertThat(Xirr.of(flows)).hasValueSatisfying(r -> assertThat(r.doubleValue()).isCloseTo(-1.0, offset(1e-7)));
    }

    @Test
    void undefinedWithoutMoneyGoingBothWays() {
        assertThat(Xirr.of(List.of())).isEmpty();
        assertThat(Xirr.of(List.of(CashFlow.of("2021-01-01", "-1000")))).isEmpty();
        assertThat(Xirr.of(List.of(CashFlow.of("2021-01-01", "-1000"), CashFlow.of("2022-01-01", "-5")))).isEmpty();
        assertThat(Xirr.of(List.of(CashFlow.of("2021-01-01", "10"), CashFlow.of("2022-01-01", "5")))).isEmpty();
        assertThat(Xirr.of(List.of(CashFlow.of("2021-01-01", "0"), CashFlow.of("2022-01-01", "0")))).isEmpty();
    }

    @Test
    void npvGrowsEarlierFlowsAndDiscountsLaterOnes() {
        List<CashFlow> flows = List.of(CashFlow.of("2021-01-01", "-1000"), CashFlow.of("2023-01-01", "1000"));

        // 2021-01-01 to 2022-01-01 and on to 2023-01-01 are 365 days each: whole years compound exactly.
        assertThat(Xirr.npv(dec("0.1"), flows, day("2022-01-01")))
                .isCloseTo(dec("-1100").add(dec("1000").divide(dec("1.1"), java.math.MathContext.DECIMAL128)), org.assertj.core.api.Assertions.within(dec("1e-25")));
        assertThat(Xirr.npv(dec("0.1"), flows, day("2023-01-01"))).isEqualByComparingTo("-210");
    }

    @Test
    void npvOverPartYearsAgreesWithFloatingPoint() {
        List<CashFlow> flows = List.of(CashFlow.of("2015-06-01", "-270000"), CashFlow.of("2018-07-15", "414085"));

        double expected = -270000 * Math.pow(1.15, 1140 / 365.0) + 414085;
        assertThat(Xirr.npv(dec("0.15"), flows, day("2018-07-15")).doubleValue()).isCloseTo(expected, offset(1e-6));
    }

    @Property(tries = 200)
    void theRateZeroesTheNetPresentValue(@ForAll("investments") List<CashFlow> flows) {
        Optional<BigDecimal> irr = Xirr.of(flows);

        assertThat(irr).isPresent();
        double rate = irr.orElseThrow().doubleValue();
        double root = independentRoot(flows);
        assertThat(rate).isCloseTo(root, offset(1e-7 * Math.max(1, Math.abs(root))));
    }

    /**
     * Paid in first, received later (from 30 days on, 30% to 300% of what was paid in): one sign change, so one
     * rate, from a heavy loss to a large gain.
     */
    @Provide
    Arbitrary<List<CashFlow>> investments() {
        Arbitrary<Integer> count = Arbitraries.integers().between(1, 6);
        Arbitrary<Long> seed = Arbitraries.longs();
        return Combinators.combine(count, seed).as((n, s) -> {
            java.util.Random random = new java.util.Random(s);
            LocalDate start = LocalDate.of(2010, 1, 1).plusDays(random.nextInt(3650));
            long paidIn = 1 + random.nextInt(10_000_000);
            long received = paidIn * (30 + random.nextInt(271)) / 100;
            List<CashFlow> flows = new ArrayList<>();
            flows.add(new CashFlow(start, BigDecimal.valueOf(-paidIn, 2)));
            LocalDate date = start.plusDays(29);
            for (int i = 0; i < n; i++) {
                date = date.plusDays(1 + random.nextInt(700));
                long part = i == n - 1 ? received : random.nextInt((int) Math.max(1, received));
                received -= part;
                flows.add(new CashFlow(date, BigDecimal.valueOf(Math.max(part, 1), 2)));
            }
            return flows;
        });
    }

    /** NPV = 0 solved by plain bisection on ln(1 + rate) in this test, independently of the production solver. */
    static double independentRoot(List<CashFlow> flows) {
        LocalDate start = flows.stream().map(CashFlow::date).min(LocalDate::compareTo).orElseThrow();
        double lo = -30; // a rate of -1 + 1e-13, still distinct from -1 in a double
        double hi = 20;
        boolean positiveAtLo = npv(Math.expm1(lo), flows, start) > 0;
        for (int i = 0; i < 300; i++) {
            double mid = (lo + hi) / 2;
            if (npv(Math.expm1(mid), flows, start) > 0 == positiveAtLo) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.expm1((lo + hi) / 2);
    }

    private static double npv(double rate, List<CashFlow> flows, LocalDate start) {
        double value = 0;
        for (CashFlow flow : flows) {
            value += flow.amount().doubleValue() * Math.pow(1 + rate, -ChronoUnit.DAYS.between(start, flow.date()) / 365.0);
        }
        return value;
    }

    @Test
    void moneyMultipleIsReceivedOverPaidIn() {
        assertThat(MoneyMultiple.of(dec("270000.00"), dec("414085.00"))).hasValue(dec("1.5336"));
        assertThat(MoneyMultiple.of(dec("100"), dec("0"))).hasValue(dec("0.0000"));
        assertThat(MoneyMultiple.of(dec("0"), dec("10"))).isEmpty();
    }
}
