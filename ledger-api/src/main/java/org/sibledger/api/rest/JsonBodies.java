package org.sibledger.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.sibledger.contracts.common.CommandRefusedException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Request bodies are parsed here rather than by Spring, so a malformed one gets a precise problem answer; and small
 * answer bodies are built here with their fields in a fixed order.
 */
final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * A request body as sent: it must be UTF-8 (RFC 8259), whatever charset the Content-Type names; a byte that is
     * not (a Latin-1 "é", a stray 0xFF, an overlong form) is refused rather than replaced by U+FFFD.
     */
    static JsonNode parse(ObjectMapper json, byte[] body) {
        return parse(json, body == null ? null : utf8(body));
    }

    static String utf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "malformed-json",
                    "The request body is not valid UTF-8: byte " + in.position() + " does not begin a UTF-8 character")
                            .worded("utf8", in.position());
        }
        return out.flip().toString();
    }

    /**
     * A JSON document, which must be neither {@code null} itself nor hold {@code null} as an item of an array
     * ({@code "participantRefs": [null]}): each such place is named by its JSON Pointer.
     */
    static JsonNode parse(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "malformed-json",
                    "The request body is empty; a JSON document is required").worded("empty");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node instanceof MissingNode) {
                throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "malformed-json",
                        "The request body holds no JSON document").worded("empty");
            }
            if (node.isNull()) {
                throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                        "The request body is null; the request's JSON document is required",
                        List.of(new CommandRefusedException.FieldViolation("/", "must not be null")))
                                .with("/", "must not be null");
            }
            refuseNullItems(node);
            return node;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "malformed-json",
                    "The request body is not well-formed JSON"
                            + (location == null ? "" : " (line " + location.getLineNr() + ", column "
                            + location.getColumnNr() + ")") + ": " + JsonErrors.describe(e))
                                    .worded("syntax", location == null ? "?" : location.getLineNr(), location == null ? "?" : location.getColumnNr(), JsonErrors.describe(e));
        }
    }

    /** Refuses a document holding null as an item of a list, naming each such item by its JSON Pointer. */
    static void refuseNullItems(JsonNode node) {
        List<CommandRefusedException.FieldViolation> nulls = new ArrayList<>();
        nullItems(node, "", nulls);
        if (!nulls.isEmpty()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "The request holds null as an item of a list: " + nulls.get(0).pointer()
                            + (nulls.size() > 1 ? " and " + (nulls.size() - 1) + " more" : ""), nulls)
                                    .with(nulls.get(0).pointer(), "must not be null");
        }
    }

    private static void nullItems(JsonNode node, String pointer, List<CommandRefusedException.FieldViolation> into) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isNull()) {
                    into.add(new CommandRefusedException.FieldViolation(pointer + "/" + i, "a list item must not be null"));
                } else {
                    nullItems(node.get(i), pointer + "/" + i, into);
                }
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> nullItems(field.getValue(),
                    pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"), into));
        }
    }

    /** The JSON Pointer of the field a mapping error is about. */
    static String pointer(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return pointer.isEmpty() ? "/" : pointer.toString();
    }

    /**
     * A JSON object of the given names and values, its fields in that order (Map.of would give a different order in
     * each JVM run).
     */
    static java.util.Map<String, Object> object(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        java.util.Map<String, Object> object = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }
}
