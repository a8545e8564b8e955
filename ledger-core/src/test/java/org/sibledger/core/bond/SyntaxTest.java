package org.sibledger.core.bond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The syntax the handlers check is the syntax contracts/ publishes: each of {@link Syntax}'s patterns is the pattern
 * the JSON Schemas (and openapi.yaml's request bodies) state for the same field, anchored.
 */
class SyntaxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJsonSchemasStateTheSamePatterns() throws IOException {
        JsonNode terms = schema("bond-terms.schema.json");
        JsonNode message = schema("measurement-message.schema.json");
        assertThat(terms.at("/properties/bondId/pattern").asText()).isEqualTo(anchored(Syntax.BOND_ID));
        assertThat(message.at("/properties/bondId/pattern").asText()).isEqualTo(anchored(Syntax.BOND_ID));
        assertThat(schema("ledger-checkpoint.schema.json").at("/properties/bondId/pattern").asText())
                .isEqualTo(anchored(Syntax.BOND_ID));
        assertThat(terms.at("/$defs/partyId/pattern").asText()).isEqualTo(anchored(Syntax.PARTY_ID));
        assertThat(message.at("/$defs/partyId/pattern").asText()).isEqualTo(anchored(Syntax.PARTY_ID));
        assertThat(message.at("/$defs/claim/properties/participantRef/pattern").asText())
                .isEqualTo(anchored(Syntax.PARTICIPANT_REF));
    }

    @Test
    void openApiStatesTheSamePatternsForTheRequestBodies() throws IOException {
        String openApi = text("/openapi.yaml");
        for (Pattern pattern : new Pattern[] {Syntax.BOND_ID, Syntax.PARTY_ID, Syntax.PARTICIPANT_REF, Syntax.ID}) {
            assertThat(openApi).as(pattern.pattern()).contains("pattern: " + anchored(pattern) + "\n");
        }
    }

    @Test
    void thePatternsTakeWhatTheySayAndNothingElse() {
        assertThat(Syntax.isBondId("peterborough")).isTrue();
        assertThat(Syntax.isBondId("Peterborough")).isFalse();
        assertThat(Syntax.isBondId("pb")).isFalse();
        assertThat(Syntax.isBondId(null)).isFalse();
        assertThat(Syntax.PARTY_ID.matcher("payer.two_b-3").matches()).isTrue();
        assertThat(Syntax.PARTY_ID.matcher(".payer").matches()).isFalse();
        assertThat(Syntax.PARTICIPANT_REF.matcher("P-17_a").matches()).isTrue();
        assertThat(Syntax.PARTICIPANT_REF.matcher("jane@example.org").matches()).isFalse();
        assertThat(Syntax.ID.matcher("c1:2026.a").matches()).isTrue();
        assertThat(Syntax.ID.matcher("-c1").matches()).isFalse();
        assertThat(Syntax.ID.matcher("c".repeat(65)).matches()).isFalse();
    }

    private static String anchored(Pattern pattern) {
        return "^" + pattern.pattern() + "$";
    }

    private static JsonNode schema(String name) throws IOException {
        return JSON.readTree(text("/schemas/" + name));
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = SyntaxTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
