package org.sibledger.contracts.common;

import java.util.List;

/**
 * A command the ledger refused for a business reason. {@code code} is stable (it becomes the problem type of the
 * REST answer and of the rejected-message topic); {@code violations} name the offending fields, if any.
 * Nothing is recorded when a command is refused.
 */
public class CommandRefusedException extends RuntimeException {

    private final String code;
    private final Kind kind;
    private final List<FieldViolation> violations;

    public enum Kind {
        /** The request itself is wrong: bad values, inconsistent terms. */
        INVALID,
        /** The principal may not do this on this bond. */
        FORBIDDEN,
        /** The target does not exist. */
        NOT_FOUND,
        /** The request is valid in itself but conflicts with the bond's state or history. */
        CONFLICT
    }

    public CommandRefusedException(Kind kind, String code, String message) {
        this(kind, code, message, List.of());
    }

    public CommandRefusedException(Kind kind, String code, String message, List<FieldViolation> violations) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /**
     * The same refusal with pointers that start with {@code from} re-rooted at {@code to}, for a request body shaped
     * differently from the command (REST's flat measurement against the command's {@code /measurement}).
     */
    public CommandRefusedException rerooted(String from, String to) {
        List<FieldViolation> moved = violations.stream().map(v -> v.pointer().equals(from) || v.pointer().startsWith(from + "/")
                ? new FieldViolation(rooted(to + v.pointer().substring(from.length())), v.message()) : v).toList();
        CommandRefusedException rerooted = new CommandRefusedException(kind, code, getMessage(), moved);
        rerooted.setStackTrace(getStackTrace());
        return rerooted;
    }

    private static String rooted(String pointer) {
        return pointer.isEmpty() ? "/" : pointer;
    }

    /** One offending field, as a JSON Pointer into the request, and what is wrong with it. */
    public record FieldViolation(String pointer, String message) {
    }
}
