package org.sibledger.core.bond;

import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.contracts.common.CommandRefusedException.Kind;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The limits every number and date a command carries must keep, so that whatever the bond records fits the read
 * models' columns with room to spare. Those columns are {@code NUMERIC(30, 10)} (20 integer digits, 10 decimals),
 * {@code INTEGER} and {@code DATE}/{@code TIMESTAMPTZ}: one value the read models cannot store stops them, so it
 * must be refused here, before it is recorded.
 * <ul>
 *   <li>money: at most {@value #INTEGER_DIGITS} integer digits (below 10^15), and no more decimals than the
 *       currency's minor unit (checked where the currency is known). The 5 digits to spare hold sums (cumulative
 *       savings, pooled payments) of up to 100,000 such amounts;</li>
 *   <li>other decimals (rates, shares, ratios, figures): at most {@value #INTEGER_DIGITS} integer digits and
 *       {@value #DECIMALS} decimals; shares of a whole are between 0 and 1;</li>
 *   <li>counts (a cohort's size, a tranche's rank): at most {@value #MAX_COUNT};</li>
 *   <li>dates: from {@link #EARLIEST} to {@link #LATEST}, every date a bond of this century can mean.</li>
 * </ul>
 * A value outside is refused as {@link Kind#INVALID} with one of the codes below and a JSON Pointer to the field.
 */
final class Bounds {

    static final int INTEGER_DIGITS = 15;
    static final int DECIMALS = 10;
    static final int MAX_COUNT = 10_000_000;
    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    static final LocalDate LATEST = LocalDate.of(2100, 12, 31);

    static final String AMOUNT_OUT_OF_RANGE = "amount-out-of-range";
    static final String NUMBER_OUT_OF_RANGE = "number-out-of-range";
    static final String DATE_OUT_OF_RANGE = "date-out-of-range";

    /** The smallest amount or figure with more integer digits than allowed: 10^15. */
    static final BigDecimal LIMIT = BigDecimal.TEN.pow(INTEGER_DIGITS);

    private Bounds() {
    }

    /**
     * One value outside its limits: the refusal code, where it is and why; {@code variant} and {@code arguments} say it
     * for a client that words refusals itself (see {@link CommandRefusedException#worded}), the pointer first.
     */
    record OutOfRange(String code, String pointer, String message, String variant, List<Object> arguments) {
        OutOfRange(String code, String pointer, String message, String variant, Object... arguments) {
            this(code, pointer, message, variant, java.util.stream.Stream.concat(java.util.stream.Stream.of(pointer),
                    java.util.Arrays.stream(arguments)).toList());
        }

        FieldViolation violation() {
            return new FieldViolation(pointer, message);
        }
    }

    /** An amount of money within 15 integer digits (null is for the caller to judge). */
    static OutOfRange money(String pointer, BigDecimal amount) {
        if (amount == null || integerDigits(amount) <= INTEGER_DIGITS) {
            return null;
        }
        return new OutOfRange(AMOUNT_OUT_OF_RANGE, pointer, "must be less than 1000000000000000 (at most "
                + INTEGER_DIGITS + " integer digits), not " + shown(amount), "money", shown(amount));
    }

    /** A rate, ratio or figure within 15 integer digits and 10 decimals (null is for the caller to judge). */
    static OutOfRange figure(String pointer, BigDecimal value) {
        if (value == null) {
            return null;
        }
        if (integerDigits(value) > INTEGER_DIGITS) {
            return new OutOfRange(NUMBER_OUT_OF_RANGE, pointer, "must be less than 1000000000000000 in size (at most "
                    + INTEGER_DIGITS + " integer digits), not " + shown(value), "size", shown(value));
        }
        if (decimals(value) > DECIMALS) {
            return new OutOfRange(NUMBER_OUT_OF_RANGE, pointer, "has more than " + DECIMALS + " decimals: "
                    + shown(value), "decimals", DECIMALS, shown(value));
        }
        return null;
    }

    /** A share of a whole: from 0 to 1, with at most 10 decimals (null is for the caller to judge). */
    static OutOfRange fraction(String pointer, BigDecimal value) {
        OutOfRange figure = figure(pointer, value);
        if (figure != null || value == null) {
            return figure;
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            return new OutOfRange(NUMBER_OUT_OF_RANGE, pointer, "must be from 0 to 1, not " + shown(value), "fraction",
                    shown(value));
        }
        return null;
    }

    /** A count from {@code min} to {@value #MAX_COUNT}. */
    static OutOfRange count(String pointer, long value, long min) {
        if (value >= min && value <= MAX_COUNT) {
            return null;
        }
        return new OutOfRange(NUMBER_OUT_OF_RANGE, pointer, "must be from " + min + " to " + MAX_COUNT + ", not " + value,
                "count", min, MAX_COUNT, value);
    }

    /** A date from 2000-01-01 to 2100-12-31 (null is for the caller to judge). */
    static OutOfRange date(String pointer, LocalDate date) {
        if (date == null || !date.isBefore(EARLIEST) && !date.isAfter(LATEST)) {
            return null;
        }
        return new OutOfRange(DATE_OUT_OF_RANGE, pointer, "must be from " + EARLIEST + " to " + LATEST + ", not " + date,
                "dates", EARLIEST, LATEST, date);
    }

    /** Refuses with every value out of range, under the code of the first. */
    static CommandRefusedException refusal(List<OutOfRange> outOfRange) {
        OutOfRange first = outOfRange.get(0);
        return new CommandRefusedException(Kind.INVALID, first.code(), first.pointer() + " " + first.message()
                + (outOfRange.size() > 1 ? " (and " + (outOfRange.size() - 1) + " more)" : ""),
                outOfRange.stream().map(OutOfRange::violation).toList())
                .worded(first.variant(), first.arguments().toArray());
    }

    static void require(OutOfRange outOfRange) {
        if (outOfRange != null) {
            throw refusal(List.of(outOfRange));
        }
    }

    /** Digits before the decimal point (0 for a value below 1), without expanding the number. */
    static long integerDigits(BigDecimal value) {
        return value.signum() == 0 ? 0 : Math.max(0L, (long) value.precision() - value.scale());
    }

    /** Decimals after removing trailing zeros (a whole number in exponent form has none). */
    static int decimals(BigDecimal value) {
        return value.scale() <= 0 ? 0 : Math.max(0, value.stripTrailingZeros().scale());
    }

    /**
     * A value as a message can show it: plain when short, else rounded to 6 digits in exponent form, since the plain
     * form of 1E-999999999 has a billion digits.
     */
    static String shown(BigDecimal value) {
        long plainLength = Math.max(integerDigits(value), 1) + Math.max(value.scale(), 0);
        return plainLength <= 40 ? value.toPlainString()
                : "about " + value.round(new java.math.MathContext(6)).stripTrailingZeros();
    }
}
