package org.sibledger.core.bond;

import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.contracts.common.CommandRefusedException.Kind;

import java.math.BigDecimal;
import java.time.LocalDate;
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

    /**
     * A positive amount in whole minor units of the currency, below 10^15 so that every read model stores it (see
     * {@link Bounds}).
     */
    static void requireAmount(String pointer, BigDecimal amount, String currency) {
        if (amount == null) {
            throw invalid("invalid-amount", pointer, "an amount is required").worded("required", pointer);
        }
        if (amount.signum() <= 0) {
            throw invalid("invalid-amount", pointer, "must be positive, not " + Bounds.shown(amount))
                    .worded("positive", pointer, Bounds.shown(amount));
        }
        Bounds.require(Bounds.money(pointer, amount));
        int minorUnits = org.sibledger.contracts.common.Money.minorUnits(currency);
        if (Bounds.decimals(amount) > minorUnits) {
            throw invalid("invalid-amount", pointer, Bounds.shown(amount) + " has more decimals than " + currency
                    + "'s " + minorUnits + " minor units")
                            .worded("decimals", pointer, Bounds.shown(amount), currency, minorUnits);
        }
    }

    /** A date is given, from 2000-01-01 to 2100-12-31 (see {@link Bounds}). */
    static void requireDate(String pointer, LocalDate date) {
        if (date == null) {
            throw invalid("missing-field", pointer, "is required").with(pointer);
        }
        Bounds.require(Bounds.date(pointer, date));
    }

    /** A count from {@code min} to 10,000,000 (see {@link Bounds}). */
    static void requireCount(String pointer, long count, long min) {
        Bounds.require(Bounds.count(pointer, count, min));
    }

    static void requireText(String pointer, String value) {
        if (value == null || value.isBlank()) {
            throw invalid("missing-field", pointer, "is required").with(pointer);
        }
    }

    /** The longest text any field of a command may hold. */
    static final int MAX_TEXT = 10_000;

    private static final com.fasterxml.jackson.databind.ObjectMapper TREES =
            org.sibledger.contracts.common.ContractsJson.newMapper();

    /**
     * Every text in a command is printable and of a sane length: no control characters but tab and line breaks (a
     * NUL cannot even be stored in PostgreSQL text), at most {@value #MAX_TEXT} characters. Checked for every command
     * before anything is decided, so that no event can carry text a read model or a client cannot take.
     */
    static void requirePlainText(Object command) {
        requirePlainText("", TREES.valueToTree(command));
    }

    private static void requirePlainText(String pointer, com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.length() > MAX_TEXT) {
                throw invalid("invalid-text", pointer.isEmpty() ? "/" : pointer, "is longer than " + MAX_TEXT + " characters")
                        .worded("long", pointer.isEmpty() ? "/" : pointer, MAX_TEXT);
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                    throw invalid("invalid-text", pointer.isEmpty() ? "/" : pointer,
                            String.format("holds a control character (U+%04X) at index %d", (int) c, i))
                                    .worded("control", pointer.isEmpty() ? "/" : pointer, String.format("U+%04X", (int) c), i);
                }
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> requirePlainText(pointer + "/" + field.getKey(), field.getValue()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requirePlainText(pointer + "/" + i, node.get(i));
            }
        }
    }
}
