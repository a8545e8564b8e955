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
 * settle, a scan for a sign change of the NPV and bisection on {@code ln(1 + rate)} take over.
 */
public final class Xirr {

    /** Decimal places of the rate returned; well below the 1e-7 promised. */
    public static final int SCALE = 10;

    private static final double STEP_TOLERANCE = 1e-12;
    private static final int NEWTON_STEPS = 100;
    /** Points of {@code ln(1 + rate)}: -700 is a rate of -1 + 1e-304, 700 a rate of 1e304. */
    private static final double[] LOG_SCAN = {
            -700, -300, -100, -50, -20, -10, -7, -5, -4, -3, -2.5, -2, -1.5, -1.2, -1, -0.8, -0.6, -0.5, -0.4, -0.3,
            -0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 14, 30,
            100, 300, 700};

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

    /**
     * Bisection on {@code x = ln(1 + rate)}, which maps every rate above -100% onto the real line, so that even a
     * near-total loss over a few days (a rate within 1e-40 of -1) is bracketed. The scan takes the sign change
     * nearest to a zero rate.
     */
    private static Double bisection(double[] years, double[] amounts) {
        Double best = null;
        for (int i = 0; i + 1 < LOG_SCAN.length; i++) {
            double lo = LOG_SCAN[i];
            double hi = LOG_SCAN[i + 1];
            double atLo = sign(lo, years, amounts);
            double atHi = sign(hi, years, amounts);
            if (atLo == 0 || atHi == 0 || atLo == atHi) {
                if (atLo == 0 && (best == null || Math.abs(lo) < Math.abs(best))) {
                    best = lo;
                }
                continue;
            }
            for (int step = 0; step < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); step++) {
                double mid = (lo + hi) / 2;
                double atMid = sign(mid, years, amounts);
                if (atMid == 0) {
                    lo = mid;
                    hi = mid;
                } else if (atMid == atLo) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            double root = (lo + hi) / 2;
            if (best == null || Math.abs(root) < Math.abs(best)) {
                best = root;
            }
        }
        return best == null ? null : StrictMath.expm1(best);
    }

    /**
     * The sign of the NPV at {@code x = ln(1 + rate)}, computed as {@code sum(a * exp(-x * (t - t_ref)))} with the
     * reference time chosen so that no exponent is positive: a positive factor that changes no sign and never
     * overflows.
     */
    private static double sign(double x, double[] years, double[] amounts) {
        double reference = x < 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (double t : years) {
            reference = x < 0 ? Math.max(reference, t) : Math.min(reference, t);
        }
        double value = 0;
        for (int k = 0; k < years.length; k++) {
            value += amounts[k] * StrictMath.exp(-x * (years[k] - reference));
        }
        return Math.signum(value);
    }
}
