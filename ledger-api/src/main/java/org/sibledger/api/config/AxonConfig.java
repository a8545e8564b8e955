package org.sibledger.api.config;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.snapshotting.RevisionSnapshotFilter;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.bond.Bond;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
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

    /**
     * The Bond aggregate, snapshotted every {@code sib.snapshot-threshold} events so a bond with 100,000 events
     * loads as fast as a small one; a snapshot whose revision differs from Bond's {@code @Revision} is ignored (the
     * bond is rebuilt from its events), so a change of state shape never loads a stale snapshot.
     */
    @Bean
    public ConfigurerModule ledgerModule(@Value("${sib.snapshot-threshold:250}") int snapshotThreshold) {
        return configurer -> {
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Bond.class)
                    .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(),
                            snapshotThreshold))
                    .configureSnapshotFilter(c -> new RevisionSnapshotFilter.Builder().type(Bond.class)
                            .revision(Bond.class.getAnnotation(Revision.class).value()).build()));
            configurer.eventProcessing()
                    .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
        };
    }

    private static Serializer jackson() {
        return JacksonSerializer.builder().objectMapper(ContractsJson.newMapper()).build();
    }
}
