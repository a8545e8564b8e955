package org.sibledger.core.waterfall;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a capital call on commitments pro rata to each commitment's uncalled remainder, in the currency's minor
 * units. The parts add up to the call exactly and none exceeds its remaining commitment; the minor units left by
 * rounding go to the largest remainders, ties to the earlier key in the map's order, so a replay calls the same.
 */
public final class CapitalCalls {

    private CapitalCalls() {
    }

    /**
     * @param amount                        the call, positive and exact in the currency's minor units
     * @param remainingCommitmentByInvestor uncalled commitment by investor (or by any position key), in a stable order
     * @return the amount called from each key, in the same order; zero where nothing remains
     * @throws IllegalArgumentException when the call is not positive, has more decimals than the currency allows,
     *                                  or exceeds the total remaining commitment
     */
    public static <K> LinkedHashMap<K, BigDecimal> allocate(BigDecimal amount,
                                                            LinkedHashMap<K, BigDecimal> remainingCommitmentByInvestor,
                                                            String currency) {
        if (amount == null || remainingCommitmentByInvestor == null || currency == null) {
            throw new IllegalArgumentException("a capital call needs an amount, the remaining commitments and a currency");
        }
        int scale = Money.minorUnits(currency);
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("a capital call must be positive, not " + amount.toPlainString());
        }
        if (!ProRata.isBookable(amount, currency)) {
            throw new IllegalArgumentException("a capital call of " + amount.toPlainString() + " has more decimals than "
                    + currency + " allows (" + scale + ")");
        }
        List<BigDecimal> remaining = new ArrayList<>(remainingCommitmentByInvestor.size());
        BigDecimal total = BigDecimal.ZERO;
        for (Map.Entry<K, BigDecimal> entry : remainingCommitmentByInvestor.entrySet()) {
            BigDecimal left = entry.getValue();
            if (left == null || left.signum() < 0) {
                throw new IllegalArgumentException("the remaining commitment of " + entry.getKey()
                        + " must be zero or more, not " + left);
            }
            remaining.add(left);
            total = total.add(left);
        }
        // Commitments finer than the minor unit cannot be called to their last fraction, so the bound is in whole units.
        BigDecimal callable = ProRata.capacity(remaining, remaining, scale);
        if (amount.compareTo(callable) > 0) {
            throw new IllegalArgumentException("a capital call of " + currency + " " + amount.toPlainString()
                    + " exceeds the remaining commitments of " + currency + " " + total.toPlainString());
        }
        List<BigDecimal> parts = ProRata.split(amount, remaining, remaining, scale);
        LinkedHashMap<K, BigDecimal> called = new LinkedHashMap<>();
        int i = 0;
        for (K key : remainingCommitmentByInvestor.keySet()) {
            called.put(key, parts.get(i++));
        }
        return called;
    }
}
