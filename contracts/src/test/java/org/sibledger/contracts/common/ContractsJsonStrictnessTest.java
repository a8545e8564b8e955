package org.sibledger.contracts.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one JSON of REST and Kafka intake reads enums only by name and refuses a key given twice: a number (or a
 * string of digits) is not the constant with that index, and the last of two keys does not silently win.
 */
class ContractsJsonStrictnessTest {

    private final ObjectMapper json = ContractsJson.newMapper();

    record RoleHolder(PartyRole role) {
    }

    @Test
    void enumsAreReadByNameOnly() throws JsonProcessingException {
        assertThat(json.readValue("""
                {"bondId": "b", "measurementId": "m", "decision": "DISPUTE"}""", DecideOnMeasurementCommand.class)
                .decision()).isEqualTo(Decision.DISPUTE);
        for (String decision : new String[] {"0", "2", "\"2\"", "\"0\"", "1.0"}) {
            assertThatThrownBy(() -> json.readValue("""
                    {"bondId": "b", "measurementId": "m", "decision": %s}""".formatted(decision), DecideOnMeasurementCommand.class))
                    .as("decision " + decision).isInstanceOf(JsonProcessingException.class);
        }
        assertThatThrownBy(() -> json.readValue("{\"role\": 0}", RoleHolder.class)).isInstanceOf(JsonProcessingException.class);
        assertThat(json.readValue("{\"role\": \"INVESTOR\"}", RoleHolder.class).role()).isEqualTo(PartyRole.INVESTOR);
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertThatThrownBy(() -> json.readValue("""
                {"bondId": "b", "measurementId": "m", "decision": "APPROVE", "decision": "DISPUTE"}""",
                DecideOnMeasurementCommand.class)).isInstanceOf(JsonProcessingException.class).hasMessageContaining("decision");
        assertThatThrownBy(() -> json.readTree("{\"a\": {\"b\": 1, \"b\": 2}}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field 'b'");
    }
}
