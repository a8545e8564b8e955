package org.sibledger.api.config;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.bond.Bond;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon on the JDBC event store: Jackson (configured as every other contract reader) for events, messages,
 * snapshots and sagas, because the default XStream cannot read records; the Bond aggregate; and event handlers
 * whose errors are never logged and skipped, because a skipped event would make a read model differ from a replay and
 * leave a gap in the outbound stream: an error of the Kafka publisher stops it (it retries from its last token); an
 * error of a read model puts the event in that read model's dead-letter queue (application.yml), where the bond's
 * later events wait behind it, in order, until an operator retries or skips it (see
 * {@link org.sibledger.api.projection.ReadModelGuard} and {@link org.sibledger.api.projection.DeadLetters}).
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {

    /**
     * The object mapper of Axon's auto-configured Jackson serializers (general, events, messages: application.yml),
     * configured as every other contract reader: Axon's auto-configuration takes the bean of this name. The event
     * storage engine is Axon's auto-configured one too, with the upcaster chain of every {@code EventUpcaster} bean and
     * the snapshot filter of the Bond's {@code @Revision} (Axon's AggregateConfigurer builds it from the annotation),
     * so a snapshot of another revision is never loaded.
     */
    @Bean("defaultAxonObjectMapper")
    public ObjectMapper defaultAxonObjectMapper() {
        return ContractsJson.newMapper();
    }

    /**
     * The Bond aggregate, snapshotted every {@code sib.snapshot-threshold} events so a bond with 100,000 events
     * loads as fast as a small one, and kept in memory between commands so that most commands load nothing at all.
     * A cached bond is used only while it is as new as its stream ({@link CurrentBondCache}); one that goes stale
     * between that check and its append collides on the stream's sequence, its unit of work rolls back, which evicts
     * it, and the gateway's retry loads it afresh.
     */
    @Bean
    public ConfigurerModule ledgerModule(@Value("${sib.snapshot-threshold:250}") int snapshotThreshold,
                                         @Value("${sib.bond-cache.size:256}") long bondCacheSize,
                                         java.util.concurrent.ExecutorService bondSnapshots,
                                         org.sibledger.api.projection.BondProgress bondProgress) {
        return configurer -> {
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Bond.class)
                    .configureCache(c -> new CurrentBondCache(c::eventStore, bondCacheSize))
                    .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(bondSnapshotter(c, bondSnapshots),
                            snapshotThreshold)));
            configurer.eventProcessing()
                    .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance());
            // the seven read models are processing groups of one processor (see ReadModels)
            org.sibledger.api.projection.ReadModels.NAMES.forEach(group -> configurer.eventProcessing()
                    .assignProcessingGroup(group, org.sibledger.api.projection.ReadModels.PROCESSOR));
            // each bond's progress through the read models, stored with their rows: what a command's answer waits on
            configurer.eventProcessing().registerHandlerInterceptor(org.sibledger.api.projection.ReadModels.PROCESSOR,
                    c -> bondProgress.interceptor());
        };
    }

    /**
     * Axon's snapshotter, for the Bond: Spring Boot's own only knows aggregates declared as Spring beans, and
     * ledger-core keeps Spring out. Axon schedules the snapshot after the command's commit and takes it on the
     * snapshot executor, in its own transaction, so a command never waits for a snapshot of its bond; a request for a
     * bond whose snapshot is being taken at that moment is dropped by Axon (the next trigger takes one).
     */
    private static Snapshotter bondSnapshotter(org.axonframework.config.Configuration c,
                                               java.util.concurrent.Executor snapshots) {
        return AggregateSnapshotter.builder()
                .executor(snapshots)
                .eventStore(c.eventStore())
                .aggregateFactories(new GenericAggregateFactory<>(Bond.class))
                .transactionManager(c.getComponent(TransactionManager.class))
                .parameterResolverFactory(c.parameterResolverFactory())
                .handlerDefinition(c.handlerDefinition(Bond.class))
                .build();
    }

    /** The snapshotter's thread, one per application, ended with it (a snapshot under way is finished first). */
    @Bean(destroyMethod = "shutdown")
    public java.util.concurrent.ExecutorService bondSnapshots() {
        return java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "sib-snapshotter");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The event store as every streaming processor's source, with streams that wake the processor (see the class). */
    @Bean
    public NotifyingEventSource ledgerEventSource(org.axonframework.eventsourcing.eventstore.EventStore eventStore,
                                                 EventStorageEngine eventStorageEngine,
                                                 @Value("${sib.event-poll:100ms}") java.time.Duration idlePoll) {
        return new NotifyingEventSource(eventStore, eventStorageEngine, idlePoll);
    }

}
