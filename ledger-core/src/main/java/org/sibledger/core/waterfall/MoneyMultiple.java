package org.sibledger.core.waterfall;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/** The money multiple (MOIC): what an investor received for each unit it paid in, to four decimal places. */
public final class MoneyMultiple {

    public static final int SCALE = 4;

    private MoneyMultiple() {
    }

    /** Empty when nothing was paid in, because a multiple of nothing is undefined rather than zero or infinite. */
    public static Optional<BigDecimal> of(BigDecimal paidIn, BigDecimal received) {
        if (paidIn == null || received == null) {
            throw new IllegalArgumentException("paid in and received are required");
        }
        if (paidIn.signum() < 0 || received.signum() < 0) {
            throw new IllegalArgumentException("paid in and received are amounts, never negative: "
                    + paidIn.toPlainString() + ", " + received.toPlainString());
        }
        return paidIn.signum() == 0 ? Optional.empty()
                : Optional.of(received.divide(paidIn, SCALE, RoundingMode.HALF_EVEN));
    }
}
