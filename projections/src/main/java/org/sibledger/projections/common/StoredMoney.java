package org.sibledger.projections.common;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;

/** Money as read models show it: stored exact, shown with at least the currency's minor units and never rounded. */
public final class StoredMoney {

    private StoredMoney() {
    }

    public static Money of(BigDecimal stored, String currency) {
        BigDecimal exact = (stored == null ? BigDecimal.ZERO : stored).stripTrailingZeros();
        int scale = Money.minorUnits(currency);
        return new Money(exact.scale() <= scale ? exact.setScale(scale) : exact, currency);
    }

    /** A count or ratio without the zeros a NUMERIC column pads it with. */
    public static BigDecimal plain(BigDecimal stored) {
        if (stored == null) {
            return null;
        }
        BigDecimal stripped = stored.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
