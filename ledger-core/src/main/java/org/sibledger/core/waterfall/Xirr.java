package org.sibledger.core.waterfall;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The annualised internal rate of return of dated cash flows (Excel's XIRR): the rate at which their net present
 * value is zero, with time counted actual/365 from the earliest flow.
 *
 * <p>The solver works in doubles (StrictMath, so every JVM finds the same digits) and answers a decimal rounded to
 * ten places, accurate to 1e-7 or better. Newton's method starts at 10%; when it leaves the domain or does not
 * settle, a scan for a sign change of the NPV over rates from -99.99% to 100,000% and bisection take over.
 */
public final class Xirr {

    /** Decimal places of the rate returned; well below the 1e-7 promised. */
    public static final int SCALE = 10;

    private static final double STEP_TOLERANCE = 1e-12;
    private static final int NEWTON_STEPS = 100;
    private static final double[] SCAN = {
            -0.9999, -0.999, -0.99, -0.95, -0.9, -0.8, -0.7, -0.6, -0.5, -0.4, -0.3, -0.2, -0.1, -0.05, 0.0,
            0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 50, 100, 1_000, 10_000, 100_000};

    private Xirr() {
    }

    /** Empty when no rate is defined: fewer than two flows, flows all of one sign, or no sign change to solve. */
    public static Optional<BigDecimal> of(List<CashFlow> flows) {
        Objects.requireNonNull(flows, "flows");
        if (!hasBothSigns(flows)) {
            return Optional.empty();
        }
        LocalDate start = flows.stream().map(CashFlow::date).min(LocalDate::compareTo).orElseThrow();
        double[] years = new double[flows.size()];
        double[] amounts = new double[flows.size()];
        for (int i = 0; i < flows.size(); i++) {
            years[i] = ChronoUnit.DAYS.between(start, flows.get(i).date()) / 365.0;
            amounts[i] = flows.get(i).amount().doubleValue();
        }
        Double rate = newton(years, amounts);
        if (rate == null) {
            rate = bisection(years, amounts);
        }
        return rate == null ? Optional.empty()
                : Optional.of(new BigDecimal(rate).setScale(SCALE, RoundingMode.HALF_EVEN));
    }

    /**
     * The value of the flows on {@code asOf} at an annual rate, actual/365: earlier flows grow, later flows are
     * discounted. In exact decimal arithmetic (50 significant digits), not rounded to money.
     */
    public static BigDecimal npv(BigDecimal rate, List<CashFlow> flows, LocalDate asOf) {
        BigDecimal value = BigDecimal.ZERO;
        for (CashFlow flow : flows) {
            long days = ChronoUnit.DAYS.between(flow.date(), asOf);
            value = value.add(flow.amount().multiply(Compounding.growth(rate, days), Compounding.PRECISION),
                    Compounding.PRECISION);
        }
        return value;
    }

    private static boolean hasBothSigns(List<CashFlow> flows) {
        boolean in = false;
        boolean out = false;
        for (CashFlow flow : flows) {
            in |= flow.amount().signum() < 0;
            out |= flow.amount().signum() > 0;
        }
        return in && out;
    }

    private static Double newton(double[] years, double[] amounts) {
        double rate = 0.1;
        for (int i = 0; i < NEWTON_STEPS; i++) {
            double value = 0;
            double slope = 0;
            for (int k = 0; k < years.length; k++) {
                double discount = StrictMath.pow(1 + rate, -years[k]);
                value += amounts[k] * discount;
                slope -= years[k] * amounts[k] * discount / (1 + rate);
            }
            if (slope == 0 || !Double.isFinite(value) || !Double.isFinite(slope)) {
                return null;
            }
            double next = rate - value / slope;
            if (!Double.isFinite(next) || next <= -1) {
                return null;
            }
            if (Math.abs(next - rate) < STEP_TOLERANCE * Math.max(1, Math.abs(next))) {
                return next;
            }
            rate = next;
        }
        return null;
    }

    private static Double bisection(double[] years, double[] amounts) {
        for (int i = 0; i + 1 < SCAN.length; i++) {
            double lo = SCAN[i];
            double hi = SCAN[i + 1];
            double atLo = value(lo, years, amounts);
            double atHi = value(hi, years, amounts);
            if (!Double.isFinite(atLo) || !Double.isFinite(atHi)) {
                continue;
            }
            if (atLo == 0) {
                return lo;
            }
            if (Math.signum(atLo) == Math.signum(atHi)) {
                continue;
            }
            for (int step = 0; step < 200 && hi - lo > STEP_TOLERANCE * Math.max(1, Math.abs(lo)); step++) {
                double mid = (lo + hi) / 2;
                double atMid = value(mid, years, amounts);
                if (atMid == 0) {
                    return mid;
                }
                if (Math.signum(atMid) == Math.signum(atLo)) {
                    lo = mid;
                    atLo = atMid;
                } else {
                    hi = mid;
                }
            }
            return (lo + hi) / 2;
        }
        return null;
    }

    private static double value(double rate, double[] years, double[] amounts) {
        double value = 0;
        for (int k = 0; k < years.length; k++) {
            value += amounts[k] * StrictMath.pow(1 + rate, -years[k]);
        }
        return value;
    }
}
