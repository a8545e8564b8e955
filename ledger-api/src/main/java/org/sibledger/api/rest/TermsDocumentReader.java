package org.sibledger.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.contracts.common.ContractsJson;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a bond terms document: well-formed JSON, then valid against contracts' JSON Schema (every violation
 * reported at its JSON Pointer), then mapped to {@link BondTerms}.
 */
@Component
public class TermsDocumentReader {

    static final String SCHEMA = "/schemas/bond-terms.schema.json";

    private final ObjectMapper json = ContractsJson.newMapper();
    private final JsonSchema schema;

    public TermsDocumentReader() {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .locale(Locale.ENGLISH)
                .build();
        try (InputStream in = TermsDocumentReader.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is not on the class path");
            }
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BondTerms read(String body) {
        return read(JsonBodies.parse(json, body), "");
    }

    /** A terms document as the request's bytes, which must be UTF-8. */
    public BondTerms read(byte[] body) {
        return read(JsonBodies.parse(json, body), "");
    }

    /** A terms document found at {@code pointer} in a larger request body; violations point into that body. */
    public BondTerms read(JsonNode document, String pointer) {
        if (document == null || !document.isObject()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-terms",
                    "A terms document is required", List.of(new FieldViolation(pointer.isEmpty() ? "/" : pointer,
                    "must be a bond terms document"))).worded("document");
        }
        List<FieldViolation> violations = schema.validate(document).stream()
                .map(TermsDocumentReader::violation)
                .map(v -> new FieldViolation(pointer + (v.pointer().equals("/") && !pointer.isEmpty() ? "" : v.pointer()), v.message()))
                .distinct()
                .sorted(Comparator.comparing(FieldViolation::pointer))
                .toList();
        if (!violations.isEmpty()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-terms",
                    "The terms document does not match the bond terms schema: " + violations.size()
                            + " problem" + (violations.size() == 1 ? "" : "s"), violations)
                                    .worded("schema", violations.size(), violations.get(0).pointer(), violations.get(0).message());
        }
        try {
            return json.treeToValue(document, BondTerms.class);
        } catch (JsonMappingException e) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-terms",
                    "The terms document cannot be read", List.of(new FieldViolation(pointer + JsonBodies.pointer(e),
                    JsonErrors.describe(e))))
                            .worded("unreadable", pointer + JsonBodies.pointer(e), JsonErrors.describe(e));
        } catch (JsonProcessingException e) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-terms",
                    "The terms document cannot be read: " + JsonErrors.describe(e))
                            .worded("unreadable", "/", JsonErrors.describe(e));
        }
    }

    private static FieldViolation violation(ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        if ("required".equals(message.getType()) && message.getProperty() != null) {
            pointer = pointer + "/" + message.getProperty();
        }
        if (pointer.isEmpty() || pointer.equals("$")) {
            pointer = "/";
        }
        String error = message.getError() != null ? message.getError() : message.getMessage();
        return new FieldViolation(pointer, error);
    }
}
