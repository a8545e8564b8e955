package org.sibledger.api.rest;

import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Query parameters of every read: page from 0, size from 1 to 500, a history's first sequence from 0, dates within
 * years 1 to 9999. Out of range is a 400, as any other parameter that does not fit.
 */
public final class Paging {

    static final int MAX_SIZE = 500;

    private Paging() {
    }

    static void check(int page, int size) {
        List<FieldViolation> violations = new ArrayList<>();
        if (page < 0) {
            violations.add(new FieldViolation("page", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_SIZE) {
            violations.add(new FieldViolation("size", "must be from 1 to " + MAX_SIZE));
        }
        if (!violations.isEmpty()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-paging",
                    "The page parameters are out of range", violations)
                            .with(violations.get(0).pointer(), violations.get(0).message());
        }
    }

    /** A history page: from (a bond sequence) 0 or more, size from 1 to 500. */
    static void checkHistory(long from, int size) {
        List<FieldViolation> violations = new ArrayList<>();
        if (from < 0) {
            violations.add(new FieldViolation("from", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_SIZE) {
            violations.add(new FieldViolation("size", "must be from 1 to " + MAX_SIZE));
        }
        if (!violations.isEmpty()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-paging",
                    "The page parameters are out of range", violations)
                            .with(violations.get(0).pointer(), violations.get(0).message());
        }
    }

    /** A period's dates (either may be absent), each within years 1 to 9999, the first not after the last. */
    public static void checkPeriod(String fromName, LocalDate from, String toName, LocalDate to) {
        checkDate(fromName, from);
        checkDate(toName, to);
        if (from != null && to != null && from.isAfter(to)) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-parameter",
                    toName + " must not be before " + fromName,
                    List.of(new FieldViolation(toName, "must not be before " + fromName + " (" + from + ")")))
                            .worded("order", toName, fromName, from);
        }
    }

    static final LocalDate FIRST_DATE = LocalDate.of(1, 1, 1);
    static final LocalDate LAST_DATE = LocalDate.of(9999, 12, 31);

    /** A date parameter (absent is fine) within years 1 to 9999. */
    public static void checkDate(String name, LocalDate date) {
        if (date != null && (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE))) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-parameter",
                    name + " must be a date from " + FIRST_DATE + " to " + LAST_DATE,
                    List.of(new FieldViolation(name, "must be a date from " + FIRST_DATE + " to " + LAST_DATE)))
                            .worded("date", name, FIRST_DATE, LAST_DATE);
        }
    }
}
