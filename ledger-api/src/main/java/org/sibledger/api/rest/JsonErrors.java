package org.sibledger.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What is wrong with a JSON document, said in terms of JSON rather than of the Java types it is read into: Jackson's
 * own messages name classes ("Cannot deserialize value of type `java.math.BigDecimal`..."), which mean nothing to a
 * client and tell it about the ledger's insides.
 */
public final class JsonErrors {

    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");
    private static final Pattern JAVA_TYPE = Pattern.compile("`[a-zA-Z0-9_.$\\[\\]<>, ]+`");

    private JsonErrors() {
    }

    /** What is wrong, for a field violation or a problem's detail. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "'" + unknown.getPropertyName() + "' is not a field here" + (known.isEmpty() ? "" : " (fields: " + known + ")");
        }
        if (e instanceof InvalidTypeIdException typeId) {
            return typeId.getTypeId() == null ? "a type is required" : "'" + typeId.getTypeId() + "' is not a known type";
        }
        if (e instanceof InvalidNullException) {
            return "must not be null";
        }
        if (e instanceof InvalidFormatException format && format.getTargetType() != null) {
            return "'" + format.getValue() + "' is not " + expected(format.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "must be " + expected(mismatch.getTargetType());
        }
        if (e instanceof JsonMappingException) {
            return "is not valid here";
        }
        // a parse error: Jackson's message says where and what, without a Java type but for the source's description
        String message = String.valueOf(e.getOriginalMessage());
        message = SOURCE.matcher(message).replaceAll("[");
        return JAVA_TYPE.matcher(message).replaceAll("a value");
    }

    /** The JSON a field of this type takes. */
    static String expected(Class<?> type) {
        if (type == BigDecimal.class) {
            return "a decimal written as a string in plain notation, e.g. \"2750.00\"";
        }
        if (type == LocalDate.class) {
            return "a date written as a string, YYYY-MM-DD";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a date and time written as a string, e.g. \"2024-01-31T12:00:00Z\"";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "\"" + ((Enum<?>) c).name() + "\"")
                    .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "an object";
    }
}
