package org.sibledger.api.config;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.bond.Bond;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Axon on the JDBC event store: Jackson (configured as every other contract reader) for events, messages,
 * snapshots and sagas, because the default XStream cannot read records; the Bond aggregate; and event handlers
 * whose errors stop their processor (which then retries from its last token) instead of being logged and skipped,
 * because a skipped event would make a read model differ from a replay and leave a gap in the outbound stream.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {

    @Bean
    @Primary
    public Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return jackson();
    }

    @Bean
    public ConfigurerModule ledgerModule() {
        return configurer -> {
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Bond.class));
            configurer.eventProcessing()
                    .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
        };
    }

    private static Serializer jackson() {
        return JacksonSerializer.builder().objectMapper(ContractsJson.newMapper()).build();
    }
}
