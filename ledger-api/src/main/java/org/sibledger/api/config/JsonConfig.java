package org.sibledger.api.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.common.ContractsJson;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** REST speaks the same JSON as the event store and Kafka: decimals as strings, ISO dates. */
@Configuration(proxyBeanMethods = false)
public class JsonConfig {

    @Bean
    @Primary
    public ObjectMapper objectMapper(Jackson2ObjectMapperBuilder builder) {
        return ContractsJson.configure(builder.build());
    }
}
