package org.sibledger.contracts.common;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.math.BigDecimal;

/**
 * The one JSON configuration of every contract type, shared by the event store's serializer, REST and Kafka, so
 * that a record means the same bytes everywhere. Decimals travel as strings: money is never a JSON number.
 */
public final class ContractsJson {

    private ContractsJson() {
    }

    public static ObjectMapper newMapper() {
        return configure(JsonMapper.builder().build());
    }

    public static <M extends ObjectMapper> M configure(M mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        mapper.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        mapper.configOverride(BigDecimal.class).setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING));
        mapper.registerModule(new SimpleModule("sib-decimals").addDeserializer(BigDecimal.class, new PlainDecimals()));
        // a count is a whole number: 1.5 or 1e9 is refused, not rounded
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // an enum is named, never numbered: {"decision": 0} or {"decision": "2"} is refused, not read as the constant
        // with that index (REST and Kafka intake alike)
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        // a key given twice is refused rather than the last one silently winning
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
        return mapper;
    }

    /**
     * Decimals are read only from strings in plain notation ("2750.00"): a JSON number is refused rather than
     * trusted to have kept its digits, and so are exponents and leading zeros.
     */
    static final class PlainDecimals extends StdScalarDeserializer<BigDecimal> {

        private static final Pattern PLAIN = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");

        PlainDecimals() {
            super(BigDecimal.class);
        }

        @Override
        public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser.currentToken(), parser,
                        "a decimal is written as a string, e.g. \"2750.00\"");
            }
            String text = parser.getText();
            if (!PLAIN.matcher(text).matches()) {
                return (BigDecimal) context.handleWeirdStringValue(BigDecimal.class, text,
                        "not a plain decimal such as \"2750.00\"");
            }
            return new BigDecimal(text);
        }
    }

    /** Canonical form for hashing: sorted keys, no insignificant white space. */
    public static ObjectMapper canonicalMapper() {
        ObjectMapper mapper = newMapper();
        mapper.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY);
        mapper.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        return mapper;
    }
}
