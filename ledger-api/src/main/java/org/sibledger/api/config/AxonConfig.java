package org.sibledger.api.config;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.snapshotting.RevisionSnapshotFilter;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
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
 * whose errors are never logged and skipped, because a skipped event would make a read model differ from a replay and
 * leave a gap in the outbound stream: an error of the Kafka publisher stops it (it retries from its last token); an
 * error of a read model puts the event in that read model's dead-letter queue (application.yml), where the bond's
 * later events wait behind it, in order, until an operator retries or skips it (see
 * {@link org.sibledger.api.projection.ReadModelGuard} and {@link org.sibledger.api.projection.DeadLetters}).
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
     * loads as fast as a small one, and kept in memory between commands so that most commands load nothing at all.
     * A cached bond is used only while it is as new as its stream ({@link VerifiedAggregateCache}); one that goes stale
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
                    .configureCache(c -> new VerifiedAggregateCache(c::eventStore, bondCacheSize))
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
     * Axon's JDBC engine, declared here rather than by its auto-configuration so that the snapshot filter is certain
     * to be in place: a snapshot of another revision than Bond's {@code @Revision} is never loaded.
     */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .persistenceExceptionResolver(persistenceExceptionResolver)
                // the filter matches on the aggregate type Axon stores with each event (the model's type, "Bond")
                .snapshotFilter(new RevisionSnapshotFilter.Builder()
                        .type(AnnotatedAggregateMetaModelFactory.inspectAggregate(Bond.class).type())
                        .revision(Bond.class.getAnnotation(Revision.class).value()).build())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .build();
    }

    /**
     * A snapshotter that knows the Bond: Spring Boot's own only knows aggregates declared as Spring beans, and
     * ledger-core keeps Spring out. It runs after the command's commit on a thread of its own, in its own transaction,
     * so a command never waits for a snapshot of its bond (whose size grows with the bond's state); Axon takes one
     * snapshot of a bond at a time, and one asked for while another is being taken is taken after it
     * ({@link CoalescingSnapshotter}).
     */
    private static Snapshotter bondSnapshotter(org.axonframework.config.Configuration c,
                                               java.util.concurrent.Executor snapshots) {
        return new CoalescingSnapshotter(AggregateSnapshotter.builder()
                .executor(Runnable::run)
                .eventStore(c.eventStore())
                .aggregateFactories(new GenericAggregateFactory<>(Bond.class))
                .transactionManager(c.getComponent(TransactionManager.class))
                .parameterResolverFactory(c.parameterResolverFactory())
                .handlerDefinition(c.handlerDefinition(Bond.class))
                .build(), snapshots);
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

    private static Serializer jackson() {
        return JacksonSerializer.builder().objectMapper(ContractsJson.newMapper()).build();
    }
}
