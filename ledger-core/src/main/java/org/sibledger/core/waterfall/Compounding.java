package org.sibledger.core.waterfall;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Growth at an annual rate over a number of days, actual/365: {@code (1 + rate)^(days / 365)}, in decimal arithmetic
 * with 50 significant digits, so that return caps are judged on money without floating-point doubt and a replay
 * gives the same digits on every JVM.
 */
final class Compounding {

    static final MathContext PRECISION = new MathContext(50, RoundingMode.HALF_EVEN);
    private static final int DAYS_PER_YEAR = 365;
    private static final BigDecimal YEAR = BigDecimal.valueOf(DAYS_PER_YEAR);
    private static final BigDecimal CONVERGED = BigDecimal.ONE.movePointLeft(48);

    private Compounding() {
    }

    static BigDecimal growth(BigDecimal rate, long days) {
        BigDecimal base = BigDecimal.ONE.add(rate);
        if (base.signum() <= 0) {
            throw new IllegalArgumentException("a rate must be above -1, not " + rate.toPlainString());
        }
        if (days < 0) {
            return BigDecimal.ONE.divide(growth(rate, -days), PRECISION);
        }
        // Whole years are an exact power; only the remaining days need a root.
        long years = days / DAYS_PER_YEAR;
        int rest = (int) (days % DAYS_PER_YEAR);
        if (years > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many days: " + days);
        }
        BigDecimal whole = base.pow((int) years, PRECISION);
        if (rest == 0) {
            return whole;
        }
        double seed = StrictMath.pow(base.doubleValue(), rest / (double) DAYS_PER_YEAR);
        return whole.multiply(root365(base.pow(rest, PRECISION), seed), PRECISION);
    }

    /** The 365th root by Newton's method from a StrictMath seed; two or three steps reach 50 digits. */
    private static BigDecimal root365(BigDecimal value, double seed) {
        BigDecimal y = Double.isFinite(seed) && seed > 0 ? new BigDecimal(seed, PRECISION) : BigDecimal.ONE;
        BigDecimal n1 = YEAR.subtract(BigDecimal.ONE);
        for (int i = 0; i < 30; i++) {
            BigDecimal next = n1.multiply(y, PRECISION)
                    .add(value.divide(y.pow(DAYS_PER_YEAR - 1, PRECISION), PRECISION), PRECISION)
                    .divide(YEAR, PRECISION);
            boolean done = next.subtract(y).abs().compareTo(CONVERGED.multiply(next)) <= 0;
            y = next;
            if (done) {
                break;
            }
        }
        return y;
    }
}
