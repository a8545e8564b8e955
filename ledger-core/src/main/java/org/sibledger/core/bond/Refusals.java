package org.sibledger.core.bond;

import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.contracts.common.CommandRefusedException.Kind;

import java.math.BigDecimal;
import java.util.List;

/** The ways a bond refuses a command, each with a stable code; a refused command records nothing. */
final class Refusals {

    private Refusals() {
    }

    static CommandRefusedException invalid(String code, String message) {
        return new CommandRefusedException(Kind.INVALID, code, message);
    }

    static CommandRefusedException invalid(String code, String pointer, String message) {
        return new CommandRefusedException(Kind.INVALID, code, message, List.of(new FieldViolation(pointer, message)));
    }

    static CommandRefusedException forbidden(String code, String message) {
        return new CommandRefusedException(Kind.FORBIDDEN, code, message);
    }

    static CommandRefusedException notFound(String code, String message) {
        return new CommandRefusedException(Kind.NOT_FOUND, code, message);
    }

    static CommandRefusedException conflict(String code, String message) {
        return new CommandRefusedException(Kind.CONFLICT, code, message);
    }

    /** A positive amount in whole minor units of the currency. */
    static void requireAmount(String pointer, BigDecimal amount, String currency) {
        if (amount == null) {
            throw invalid("invalid-amount", pointer, "an amount is required");
        }
        if (amount.signum() <= 0) {
            throw invalid("invalid-amount", pointer, "must be positive, not " + amount.toPlainString());
        }
        int minorUnits = org.sibledger.contracts.common.Money.minorUnits(currency);
        if (amount.stripTrailingZeros().scale() > minorUnits) {
            throw invalid("invalid-amount", pointer, amount.toPlainString() + " has more decimals than " + currency
                    + "'s " + minorUnits + " minor units");
        }
    }

    static void requireText(String pointer, String value) {
        if (value == null || value.isBlank()) {
            throw invalid("missing-field", pointer, "is required");
        }
    }

    /**
     * An identifier the ledger will name in paths, headers and read models: 1 to 64 letters, digits, '.', '_', ':'
     * or '-', starting with a letter or digit.
     */
    static void requireId(String pointer, String value) {
        requireText(pointer, value);
        if (!ID.matcher(value).matches()) {
            throw invalid("invalid-id", pointer, "an identifier is 1 to 64 letters, digits, '.', '_', ':' or '-', "
                    + "starting with a letter or digit");
        }
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
}
