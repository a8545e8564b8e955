package org.sibledger.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.sibledger.contracts.common.CommandRefusedException;

/**
 * Request bodies are parsed here rather than by Spring, so a malformed one gets a precise problem answer; and small
 * answer bodies are built here with their fields in a fixed order.
 */
final class JsonBodies {

    private JsonBodies() {
    }

    static JsonNode parse(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "malformed-json",
                    "The request body is empty; a JSON document is required");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node instanceof MissingNode) {
                throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "malformed-json",
                        "The request body holds no JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "malformed-json",
                    "The request body is not well-formed JSON"
                            + (location == null ? "" : " (line " + location.getLineNr() + ", column "
                            + location.getColumnNr() + ")") + ": " + e.getOriginalMessage());
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
