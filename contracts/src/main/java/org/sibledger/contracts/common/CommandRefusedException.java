package org.sibledger.contracts.common;

import java.util.List;

/**
 * A command the ledger refused for a business reason. {@code code} is stable (it becomes the problem type of the
 * REST answer and of the rejected-message topic); {@code violations} name the offending fields, if any.
 * Nothing is recorded when a command is refused.
 * <p>
 * The message is the bond's English. For a client that says the refusal in its own words (the pages, in Hebrew), it
 * also carries its {@code wording}, which of the code's sentences it is ({@code code}, or {@code code.variant} where one
 * code is refused for different reasons), and the {@code arguments} that sentence names in order: ids, amounts as
 * {@link Money}, dates, counts, statuses, the same values the English names.
 */
public class CommandRefusedException extends RuntimeException {

    private final String code;
    private final Kind kind;
    private final List<FieldViolation> violations;
    private final String wording;
    private final List<Object> arguments;

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
        this(kind, code, message, violations, code, List.of());
    }

    private CommandRefusedException(Kind kind, String code, String message, List<FieldViolation> violations,
                                    String wording, List<Object> arguments) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.violations = List.copyOf(violations);
        this.wording = wording;
        this.arguments = List.copyOf(arguments);
    }

    /** The same refusal naming {@code arguments} (in the order its code's sentence names them). */
    public CommandRefusedException with(Object... arguments) {
        return copy(wording, arguments);
    }

    /** The same refusal said by its code's {@code variant} sentence (null: the code's own), naming {@code arguments}. */
    public CommandRefusedException worded(String variant, Object... arguments) {
        return copy(variant == null ? code : code + "." + variant, arguments);
    }

    private CommandRefusedException copy(String wording, Object... arguments) {
        CommandRefusedException copy = new CommandRefusedException(kind, code, getMessage(), violations, wording,
                java.util.Arrays.stream(arguments).map(a -> a == null ? "" : a).toList());
        copy.setStackTrace(getStackTrace());
        return copy;
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

    /** Which sentence of its code says this refusal: the code itself, or {@code code.variant}. */
    public String wording() {
        return wording;
    }

    /** The ids, amounts ({@link Money}), dates, counts and statuses the refusal names, in its sentence's order. */
    public List<Object> arguments() {
        return arguments;
    }

    /**
     * The same refusal with pointers that start with {@code from} re-rooted at {@code to}, for a request body shaped
     * differently from the command (REST's flat measurement against the command's {@code /measurement}).
     */
    public CommandRefusedException rerooted(String from, String to) {
        List<FieldViolation> moved = violations.stream().map(v -> v.pointer().equals(from) || v.pointer().startsWith(from + "/")
                ? new FieldViolation(rooted(to + v.pointer().substring(from.length())), v.message()) : v).toList();
        CommandRefusedException rerooted = new CommandRefusedException(kind, code, getMessage(), moved, wording, arguments);
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
