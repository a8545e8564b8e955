package org.sibledger.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON Schemas of contracts/ that the ledger itself applies to what it is sent, so that what a schema refuses the
 * ledger refuses too: the measurement message of the Kafka intake, and its measurement, which is REST's submission
 * body. Violations come back as field violations at their JSON Pointers.
 */
public final class ContractSchemas {

    /** The schema files, served over HTTP by name (OpenApiController). */
    public static final List<String> NAMES = List.of("measurement-message", "measurement-rejection",
            "ledger-event-envelope", "bond-terms", "ledger-checkpoint");

    private static final String MEASUREMENT_MESSAGE = "classpath:schemas/measurement-message.schema.json";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .locale(Locale.ENGLISH)
            .build();

    /** A whole message of sib.measurements.v1. */
    public static final JsonSchema MEASUREMENT_MESSAGE_SCHEMA =
            FACTORY.getSchema(SchemaLocation.of(MEASUREMENT_MESSAGE), CONFIG);
    /** The measurement it carries: the body of POST /api/bonds/{bondId}/measurements. */
    public static final JsonSchema MEASUREMENT_SUBMISSION_SCHEMA =
            FACTORY.getSchema(SchemaLocation.of(MEASUREMENT_MESSAGE + "#/$defs/submission"), CONFIG);

    private ContractSchemas() {
    }

    /** What in {@code document} the schema refuses, each at its pointer, in pointer order; empty when it is valid. */
    public static List<FieldViolation> violations(JsonSchema schema, JsonNode document) {
        List<ValidationMessage> messages = List.copyOf(schema.validate(document));
        // a field whose own schema failed is also reported as "not evaluated" by the unevaluatedProperties around
        // it: only the failure itself is worth reporting
        List<String> failed = messages.stream().filter(m -> !"unevaluatedProperties".equals(m.getType()))
                .map(m -> violation(m).pointer()).toList();
        return messages.stream()
                .map(m -> Map.entry(m, violation(m)))
                .filter(e -> !"unevaluatedProperties".equals(e.getKey().getType()) || failed.stream()
                        .noneMatch(p -> p.equals(e.getValue().pointer()) || p.startsWith(e.getValue().pointer() + "/")))
                .map(Map.Entry::getValue)
                .distinct()
                .sorted(Comparator.comparing(FieldViolation::pointer))
                .toList();
    }

    static FieldViolation violation(ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            pointer = pointer + "/" + message.getProperty();
        }
        if ("unevaluatedProperties".equals(message.getType()) || "additionalProperties".equals(message.getType())) {
            if (message.getProperty() != null && !pointer.endsWith("/" + message.getProperty())) {
                pointer = pointer + "/" + message.getProperty();
            }
        }
        if (pointer.isEmpty() || pointer.equals("$")) {
            pointer = "/";
        }
        String error = message.getError() != null ? message.getError() : message.getMessage();
        return new FieldViolation(pointer, error);
    }
}
