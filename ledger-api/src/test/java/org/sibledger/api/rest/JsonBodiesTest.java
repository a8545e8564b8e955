package org.sibledger.api.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonBodiesTest {

    @Test
    void anAnswerObjectKeepsItsFieldsInTheOrderGiven() throws Exception {
        String json = new ObjectMapper().writeValueAsString(JsonBodies.object(
                "measurementId", "m-1", "status", "SUBMITTED", "amount", null, "bondId", "b-1", "a", 1));
        assertThat(json).isEqualTo("{\"measurementId\":\"m-1\",\"status\":\"SUBMITTED\",\"amount\":null,\"bondId\":\"b-1\",\"a\":1}");
    }

    @Test
    void namesAndValuesComeInPairs() {
        assertThatThrownBy(() -> JsonBodies.object("bondId")).isInstanceOf(IllegalArgumentException.class);
    }
}
