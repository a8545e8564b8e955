package org.sibledger.core.mechanism;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.mechanism.TestBonds.dec;

class PayerSplitTest {

    static final List<List<BigDecimal>> SHARE_SETS = List.of(
            List.of(dec("1")),
            List.of(dec("0.8"), dec("0.2")),
            List.of(dec("0.5"), dec("0.5")),
            List.of(dec("0.3333"), dec("0.3333"), dec("0.3334")),
            List.of(dec("0.6"), dec("0.25"), dec("0.15")),
            List.of(dec("0.1"), dec("0.2"), dec("0.3"), dec("0.4")),
            List.of(dec("0.97"), dec("0.01"), dec("0.01"), dec("0.01")));

    @Test
    void aTopUpPayerPaysItsShareAndTheLastPayerTakesTheOddMinorUnit() {
        assertThat(new PayerSplit(List.of(dec("0.8"), dec("0.2")), 2).of(dec("10.01")))
                .containsExactly(dec("8.01"), dec("2.00"));
        assertThat(new PayerSplit(List.of(dec("0.3333"), dec("0.3333"), dec("0.3334")), 2).of(dec("1.00")))
                .containsExactly(dec("0.33"), dec("0.33"), dec("0.34"));
    }

    @Test
    void aCurrencyWithoutMinorUnitsSplitsWholeUnits() {
        assertThat(new PayerSplit(List.of(dec("0.5"), dec("0.5")), 0).of(dec("1001")))
                .containsExactly(dec("500"), dec("501"));
    }

    @Property(tries = 300)
    void partsAddUpExactlyRiseWithTheAmountAndStayWithinAMinorUnitOfTheirShare(
            @ForAll("shareSets") List<BigDecimal> shares, @ForAll @LongRange(min = 0, max = 10_000_000_000L) long cents) {
        PayerSplit split = new PayerSplit(shares, 2);
        BigDecimal amount = BigDecimal.valueOf(cents, 2);
        List<BigDecimal> parts = split.of(amount);
        List<BigDecimal> next = split.of(amount.add(dec("0.01")));

        assertThat(parts.stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(amount);
        for (int i = 0; i < shares.size(); i++) {
            assertThat(next.get(i).subtract(parts.get(i))).isBetween(dec("0.00"), dec("0.01"));
            assertThat(parts.get(i).subtract(amount.multiply(shares.get(i))).abs()).isLessThanOrEqualTo(dec("0.01"));
        }
    }

    @Provide
    Arbitrary<List<BigDecimal>> shareSets() {
        return Arbitraries.of(SHARE_SETS);
    }
}
