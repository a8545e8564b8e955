package org.sibledger.core.waterfall;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits an amount pro rata to weights, each part limited to its own cap, in whole minor units.
 *
 * <p>Invariants: the parts add up to the amount exactly; no part exceeds its cap; a part whose cap does not bind is
 * its exact share of what the binding caps leave, rounded down, plus at most one minor unit. Caps bind by water
 * filling (a part that would pass its cap takes the cap, and the rest is shared again among the others); the minor
 * units left by rounding down go to the largest remainders, ties to the earlier party, all in exact integer
 * arithmetic so that the same input always gives the same split.
 */
final class ProRata {

    private ProRata() {
    }

    /**
     * @param amount  a non-negative amount in the currency's minor units
     * @param weights non-negative weights; a zero weight takes nothing
     * @param caps    non-negative caps, one per weight, whose sum over positive weights reaches the amount
     */
    static List<BigDecimal> split(BigDecimal amount, List<BigDecimal> weights, List<BigDecimal> caps, int scale) {
        if (weights.size() != caps.size()) {
            throw new IllegalArgumentException("one cap per weight");
        }
        BigInteger remaining = units(amount, scale, RoundingMode.UNNECESSARY);
        int n = weights.size();
        BigInteger[] w = integerWeights(weights);
        BigInteger[] cap = new BigInteger[n];
        BigInteger[] part = new BigInteger[n];
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cap[i] = units(caps.get(i), scale, RoundingMode.FLOOR);
            part[i] = BigInteger.ZERO;
            if (cap[i].signum() < 0) {
                throw new IllegalArgumentException("a cap cannot be negative: " + caps.get(i).toPlainString());
            }
            if (w[i].signum() > 0 && cap[i].signum() > 0) {
                open.add(i);
            }
        }
        while (remaining.signum() > 0 && !open.isEmpty()) {
            BigInteger total = BigInteger.ZERO;
            for (int i : open) {
                total = total.add(w[i]);
            }
            List<Integer> saturated = new ArrayList<>();
            for (int i : open) {
                // The exact share remaining * w / total reaches the cap.
                if (remaining.multiply(w[i]).compareTo(cap[i].multiply(total)) >= 0) {
                    saturated.add(i);
                }
            }
            if (!saturated.isEmpty()) {
                for (int i : saturated) {
                    part[i] = cap[i];
                    remaining = remaining.subtract(cap[i]);
                }
                open.removeAll(saturated);
                continue;
            }
            BigInteger[] remainder = new BigInteger[n];
            BigInteger given = BigInteger.ZERO;
            for (int i : open) {
                BigInteger[] qr = remaining.multiply(w[i]).divideAndRemainder(total);
                part[i] = qr[0];
                remainder[i] = qr[1];
                given = given.add(qr[0]);
            }
            int leftover = remaining.subtract(given).intValueExact();
            List<Integer> byRemainder = new ArrayList<>(open);
            byRemainder.sort(Comparator.<Integer, BigInteger>comparing(i -> remainder[i]).reversed()
                    .thenComparing(i -> i));
            for (int k = 0; k < leftover; k++) {
                int i = byRemainder.get(k);
                part[i] = part[i].add(BigInteger.ONE);
            }
            remaining = BigInteger.ZERO;
        }
        if (remaining.signum() > 0) {
            throw new IllegalArgumentException("the caps leave " + new BigDecimal(remaining, scale).toPlainString()
                    + " of " + amount.toPlainString() + " without a place");
        }
        List<BigDecimal> parts = new ArrayList<>(n);
        for (BigInteger p : part) {
            parts.add(new BigDecimal(p, scale));
        }
        return parts;
    }

    /** The sum of the caps in whole minor units, as {@link #split} counts them. */
    static BigDecimal capacity(List<BigDecimal> weights, List<BigDecimal> caps, int scale) {
        BigInteger total = BigInteger.ZERO;
        for (int i = 0; i < caps.size(); i++) {
            if (weights.get(i).signum() > 0) {
                total = total.add(units(caps.get(i), scale, RoundingMode.FLOOR).max(BigInteger.ZERO));
            }
        }
        return new BigDecimal(total, scale);
    }

    /** Whether an amount is exact in the currency's minor units ("10.50" in USD yes, "10.505" no). */
    static boolean isBookable(BigDecimal amount, String currency) {
        return amount.stripTrailingZeros().scale() <= Money.minorUnits(currency);
    }

    private static BigInteger units(BigDecimal amount, int scale, RoundingMode rounding) {
        return amount.setScale(scale, rounding).unscaledValue();
    }

    private static BigInteger[] integerWeights(List<BigDecimal> weights) {
        int scale = 0;
        for (BigDecimal weight : weights) {
            if (weight.signum() < 0) {
                throw new IllegalArgumentException("a weight cannot be negative: " + weight.toPlainString());
            }
            scale = Math.max(scale, weight.stripTrailingZeros().scale());
        }
        BigInteger[] out = new BigInteger[weights.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = weights.get(i).setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
        }
        return out;
    }
}
