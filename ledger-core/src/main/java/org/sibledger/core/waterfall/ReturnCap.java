package org.sibledger.core.waterfall;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;

/**
 * How much more a position may receive on a date without its IRR passing a cap.
 *
 * <p>Solved, not searched: receiving {@code x} on {@code date} keeps the XIRR at or below {@code cap} exactly when
 * the flows' value at the cap rate, carried to {@code date}, stays at or below zero, so the headroom is
 * {@code -npv(cap, flows, date)}; it is the investor's balance compounded at the cap rate, the hurdle of a
 * private-equity waterfall. For flows where all paying in precedes receiving, this equals the XIRR condition.
 */
public final class ReturnCap {

    /** Guard digits kept before flooring to the minor unit, so that an exact cap amount is not lost to the 50th digit. */
    private static final int GUARD_DIGITS = 12;

    private ReturnCap() {
    }

    /** The exact headroom; negative when the flows already pass the cap. */
    public static BigDecimal headroom(BigDecimal capIrr, List<CashFlow> flows, LocalDate date) {
        if (capIrr == null || capIrr.signum() < 0) {
            throw new IllegalArgumentException("a return cap is a non-negative rate, not " + capIrr);
        }
        return Xirr.npv(capIrr, flows, date).negate();
    }

    /** The headroom rounded down to the currency's minor unit, and never below zero: what may be booked. */
    public static BigDecimal bookableHeadroom(BigDecimal capIrr, List<CashFlow> flows, LocalDate date, String currency) {
        int scale = Money.minorUnits(currency);
        BigDecimal headroom = headroom(capIrr, flows, date)
                .setScale(scale + GUARD_DIGITS, RoundingMode.HALF_EVEN)
                .setScale(scale, RoundingMode.FLOOR);
        return headroom.signum() < 0 ? BigDecimal.ZERO.setScale(scale) : headroom;
    }
}
