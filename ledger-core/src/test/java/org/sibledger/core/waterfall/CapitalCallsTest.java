package org.sibledger.core.waterfall;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sibledger.core.waterfall.TestInvestors.dec;

class CapitalCallsTest {

    @Test
    void callsProRataToRemainingCommitment() {
        LinkedHashMap<String, BigDecimal> remaining = commitments("a", "3000000.00", "b", "1000000.00", "c", "1000000.00");

        LinkedHashMap<String, BigDecimal> called = CapitalCalls.allocate(dec("500000.00"), remaining, "GBP");

        assertThat(called).containsExactly(Map.entry("a", dec("300000.00")), Map.entry("b", dec("100000.00")),
                Map.entry("c", dec("100000.00")));
    }

    @Test
    void leftoverMinorUnitsGoToTheLargestRemaindersThenToTheEarlierInvestor() {
        LinkedHashMap<String, BigDecimal> equal = commitments("a", "100.00", "b", "100.00", "c", "100.00");

        assertThat(CapitalCalls.allocate(dec("100.00"), equal, "USD"))
                .containsExactly(Map.entry("a", dec("33.34")), Map.entry("b", dec("33.33")), Map.entry("c", dec("33.33")));
        assertThat(CapitalCalls.allocate(dec("0.02"), equal, "USD"))
                .containsExactly(Map.entry("a", dec("0.01")), Map.entry("b", dec("0.01")), Map.entry("c", dec("0.00")));

        // 5 * 2/7 = 1.43 and 5 * 5/7 = 3.57: the larger remainder (0.57) takes the leftover unit.
        assertThat(CapitalCalls.allocate(dec("5"), commitments("x", "2", "y", "5"), "JPY"))
                .containsExactly(Map.entry("x", dec("1")), Map.entry("y", dec("4")));
    }

    @Test
    void anInvestorWithNothingLeftIsCalledForNothing() {
        assertThat(CapitalCalls.allocate(dec("50.00"), commitments("a", "0", "b", "80.00"), "EUR"))
                .containsExactly(Map.entry("a", dec("0.00")), Map.entry("b", dec("50.00")));
    }

    @Test
    void theWholeRemainingCommitmentCanBeCalled() {
        assertThat(CapitalCalls.allocate(dec("4000.01"), commitments("a", "1000.00", "b", "3000.01"), "GBP"))
                .containsExactly(Map.entry("a", dec("1000.00")), Map.entry("b", dec("3000.01")));
    }

    @Test
    void refusesACallAboveTheRemainingCommitments() {
        assertThatThrownBy(() -> CapitalCalls.allocate(dec("4000.02"), commitments("a", "1000.00", "b", "3000.01"), "GBP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds the remaining commitments of GBP 4000.01");
    }

    @Test
    void refusesMoreDecimalsThanTheCurrencyHas() {
        assertThatThrownBy(() -> CapitalCalls.allocate(dec("10.005"), commitments("a", "100"), "GBP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more decimals than GBP allows (2)");
        assertThatThrownBy(() -> CapitalCalls.allocate(dec("10.5"), commitments("a", "100"), "JPY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more decimals than JPY allows (0)");
        assertThat(CapitalCalls.allocate(dec("10.000"), commitments("a", "100"), "GBP")).containsEntry("a", dec("10.00"));
    }

    @Test
    void refusesNonPositiveCallsNegativeCommitmentsAndUnknownCurrencies() {
        assertThatThrownBy(() -> CapitalCalls.allocate(dec("0"), commitments("a", "100"), "GBP"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> CapitalCalls.allocate(dec("1"), commitments("a", "-1", "b", "5"), "GBP"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remaining commitment of a");
        assertThatThrownBy(() -> CapitalCalls.allocate(dec("1"), commitments("a", "100"), "XYZ"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void partsSumExactlyStayWithinCommitmentsAndWithinOneMinorUnitOfTheirShare(
            @ForAll("commitmentSets") List<BigDecimal> amounts, @ForAll("fractions") BigDecimal fraction) {
        LinkedHashMap<String, BigDecimal> remaining = new LinkedHashMap<>();
        for (int i = 0; i < amounts.size(); i++) {
            remaining.put("investor-" + i, amounts.get(i));
        }
        BigDecimal total = amounts.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal call = total.multiply(fraction).setScale(2, java.math.RoundingMode.DOWN).max(dec("0.01"));
        if (call.compareTo(total) > 0) {
            return;
        }

        LinkedHashMap<String, BigDecimal> called = CapitalCalls.allocate(call, remaining, "GBP");

        assertThat(called.keySet()).containsExactlyElementsOf(remaining.keySet());
        assertThat(called.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(call);
        for (String investor : remaining.keySet()) {
            BigDecimal part = called.get(investor);
            BigDecimal exact = call.multiply(remaining.get(investor)).divide(total, MathContext.DECIMAL128);
            assertThat(part.scale()).isEqualTo(2);
            assertThat(part).isBetween(BigDecimal.ZERO, remaining.get(investor));
            assertThat(part.subtract(exact).abs()).isLessThan(dec("0.01"));
        }
        assertThat(CapitalCalls.allocate(call, remaining, "GBP")).isEqualTo(called);
    }

    @Provide
    Arbitrary<List<BigDecimal>> commitmentSets() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, dec("5000000")).ofScale(2)
                .list().ofMinSize(1).ofMaxSize(8)
                .filter(list -> list.stream().anyMatch(c -> c.signum() > 0));
    }

    @Provide
    Arbitrary<BigDecimal> fractions() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.ONE).ofScale(6);
    }

    private static LinkedHashMap<String, BigDecimal> commitments(String... idAndAmount) {
        LinkedHashMap<String, BigDecimal> map = new LinkedHashMap<>();
        for (int i = 0; i < idAndAmount.length; i += 2) {
            map.put(idAndAmount[i], dec(idAndAmount[i + 1]));
        }
        return map;
    }
}
