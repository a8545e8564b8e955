package org.sibledger.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;

import java.util.List;

/**
 * A measurement submission as REST and Kafka both carry it: the measurement's own fields ({@code type}, ...) next
 * to optional {@code measurementId}, {@code evidenceRef} and {@code supersedes}. Pointers in refusals are relative
 * to this body.
 */
public final class MeasurementSubmissions {

    private MeasurementSubmissions() {
    }

    /**
     * The body as the contract allows it (measurement-message.schema.json, its submission): a body the schema
     * refuses is refused whole, with every violation at its pointer, before any bond is asked.
     */
    public static JsonNode validated(JsonNode body) {
        List<FieldViolation> violations = ContractSchemas.violations(ContractSchemas.MEASUREMENT_SUBMISSION_SCHEMA, body);
        if (!violations.isEmpty()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "The measurement does not match its schema: " + violations.get(0).pointer() + " "
                            + violations.get(0).message()
                            + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""), violations)
                                    .with(violations.get(0).pointer(), violations.get(0).message());
        }
        return body;
    }

    public static SubmitMeasurementCommand read(ObjectMapper json, String bondId, JsonNode body, String defaultId) {
        if (body == null || !body.isObject()) {
            throw invalid("/", "must be a JSON object: a measurement");
        }
        // [null] among the claims is refused here too, for the measurements that come by Kafka
        JsonBodies.refuseNullItems(body);
        ObjectNode fields = ((ObjectNode) body).deepCopy();
        String supersedes = text(fields, "supersedes");
        String evidenceRef = text(fields, "evidenceRef");
        String measurementId = text(fields, "measurementId");
        try {
            Measurement measurement = json.treeToValue(fields, Measurement.class);
            return new SubmitMeasurementCommand(bondId, measurementId != null ? measurementId : defaultId, measurement,
                    evidenceRef, supersedes);
        } catch (JsonMappingException e) {
            throw invalid(JsonBodies.pointer(e), JsonErrors.describe(e));
        } catch (JsonProcessingException e) {
            throw invalid("/", JsonErrors.describe(e));
        }
    }

    private static String text(ObjectNode fields, String name) {
        JsonNode value = fields.remove(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("/" + name, "must be a string");
        }
        return value.asText();
    }

    private static CommandRefusedException invalid(String pointer, String message) {
        return new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                "The measurement does not fit: " + message, List.of(new FieldViolation(pointer, message)))
                        .with(pointer, message);
    }
}
