package org.sibledger.core.mechanism;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.StringJoiner;

/** Small shared helpers: the precision of ratios, how amounts read in a rule, and how keys are built. */
final class Amounts {

    /** Ratios (achieved / target, treated / comparison) keep 34 significant digits; money is rounded only when booked. */
    static final MathContext RATIO = MathContext.DECIMAL128;

    private Amounts() {
    }

    /** "GBP 2750.00": the currency's minor units, or more digits when the exact amount has them. */
    static String money(String currency, BigDecimal amount) {
        int minor = Money.minorUnits(currency);
        BigDecimal shown = amount.stripTrailingZeros().scale() <= minor
                ? amount.setScale(minor, RoundingMode.HALF_EVEN)
                : amount.stripTrailingZeros();
        return currency + " " + shown.toPlainString();
    }

    static String percent(BigDecimal ratio) {
        return ratio.movePointRight(2).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }

    static String plain(BigDecimal number) {
        return number.stripTrailingZeros().toPlainString();
    }

    /** Joins key parts with ':' after escaping '%' and ':' in each, so that distinct parts never give one key. */
    static String key(Object... parts) {
        StringJoiner joined = new StringJoiner(":");
        for (Object part : parts) {
            joined.add(String.valueOf(part).replace("%", "%25").replace(":", "%3A"));
        }
        return joined.toString();
    }
}
