package org.sibledger.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The limits that openapi.yaml declares for the amounts, counts and dates of the request bodies, applied at the edge
 * by the JSON Schema validator that applies the terms and measurement schemas: a field of a request schema that is an
 * {@code Amount} (below 10^15, at most 4 decimals), a {@code Figure}, a {@code LedgerDate} (2000-01-01 to
 * 2100-12-31) or that declares a {@code minimum} or {@code maximum} (a cohort's size, 1 to 10,000,000) is checked
 * against its own schema. What is out of bounds is refused as {@code invalid-request} (400) at its JSON Pointer,
 * before any bond is asked; the Bond checks the same limits again (Bounds in ledger-core), with the currency's
 * minor unit, which the edge does not know. Other keywords of the request schemas (required fields, patterns of ids)
 * are left to the request's reading and to the Bond, whose refusals name them as before.
 */
public final class RequestBounds {

    /** The component schemas of openapi.yaml that bound a value. */
    static final Set<String> BOUNDED = Set.of("Amount", "Figure", "LedgerDate");

    private static final String REF = "#/components/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .locale(Locale.ENGLISH)
            .build();

    private static final JsonNode SCHEMAS = document().at("/components/schemas");
    /** Each request schema's bounded fields: field name to its schema. */
    private static final Map<String, Map<String, JsonSchema>> FIELDS = load();
    /** The bounding component schemas themselves, for values that come otherwise than in a JSON body (CSV). */
    private static final Map<String, JsonSchema> COMPONENTS = Map.of(
            "Amount", FACTORY.getSchema(SCHEMAS.get("Amount"), CONFIG),
            "Figure", FACTORY.getSchema(SCHEMAS.get("Figure"), CONFIG),
            "LedgerDate", FACTORY.getSchema(SCHEMAS.get("LedgerDate"), CONFIG));

    private RequestBounds() {
    }

    /** The bounded fields of a request schema of openapi.yaml, by name (none for a schema without such fields). */
    public static Set<String> fieldsOf(String requestSchema) {
        return FIELDS.getOrDefault(requestSchema, Map.of()).keySet();
    }

    /**
     * Refuses a request body whose bounded fields (by its schema in openapi.yaml, {@code requestSchema}) are out of
     * bounds, naming each at its pointer; absent and null fields are for the request's reading to judge.
     */
    static void check(String requestSchema, JsonNode body) {
        Map<String, JsonSchema> fields = FIELDS.get(requestSchema);
        if (fields == null) {
            throw new IllegalArgumentException("openapi.yaml has no request schema " + requestSchema);
        }
        if (body == null || !body.isObject()) {
            return;
        }
        List<FieldViolation> violations = new ArrayList<>();
        fields.forEach((name, schema) -> {
            JsonNode value = body.get(name);
            if (value != null && !value.isNull()) {
                schema.validate(value).stream().findFirst().ifPresent(message -> violations.add(new FieldViolation(
                        "/" + name, "is outside what " + requestSchema + " allows in openapi.yaml: "
                        + (message.getError() != null ? message.getError() : message.getMessage()))));
            }
        });
        if (!violations.isEmpty()) {
            FieldViolation first = violations.get(0);
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "The request is out of bounds: " + first.pointer() + " " + first.message()
                            + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""),
                    violations).with(first.pointer(), first.message());
        }
    }

    /**
     * Whether a value given as text (a cell of a CSV file) is outside the bounds of one of the bounding schemas
     * ({@link #BOUNDED}): null when it is within them, else the bounds in words, as openapi.yaml describes them
     * (e.g. "a date a command carries, from 2000-01-01 to 2100-12-31").
     */
    public static String outOfBounds(String component, String text) {
        JsonSchema schema = COMPONENTS.get(component);
        if (schema == null) {
            throw new IllegalArgumentException("openapi.yaml has no bounding schema " + component);
        }
        if (schema.validate(com.fasterxml.jackson.databind.node.TextNode.valueOf(text)).isEmpty()) {
            return null;
        }
        String description = SCHEMAS.get(component).path("description").asText(component).strip();
        int aside = description.indexOf(" (");
        String bounds = aside > 0 ? description.substring(0, aside) : description;
        return Character.toLowerCase(bounds.charAt(0)) + bounds.substring(1);
    }

    private static JsonNode document() {
        try (InputStream in = RequestBounds.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the class path");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Map<String, JsonSchema>> load() {
        JsonNode schemas = SCHEMAS;
        Map<String, Map<String, JsonSchema>> requests = new LinkedHashMap<>();
        schemas.fields().forEachRemaining(schema -> {
            if (!schema.getKey().endsWith("Request")) {
                return;
            }
            Map<String, JsonSchema> fields = new LinkedHashMap<>();
            schema.getValue().path("properties").fields().forEachRemaining(property -> {
                JsonNode declared = property.getValue();
                String ref = declared.path("$ref").asText("");
                if (ref.startsWith(REF) && BOUNDED.contains(ref.substring(REF.length()))) {
                    fields.put(property.getKey(), FACTORY.getSchema(schemas.get(ref.substring(REF.length())), CONFIG));
                } else if (declared.has("maximum") || declared.has("minimum")) {
                    fields.put(property.getKey(), FACTORY.getSchema(declared, CONFIG));
                }
            });
            requests.put(schema.getKey(), java.util.Collections.unmodifiableMap(fields));
        });
        return Map.copyOf(requests);
    }
}
