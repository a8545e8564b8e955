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
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
    @ConditionalOnExpression("'${sib.axon-setup:ledger}' != 'peer'")
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
    @ConditionalOnProperty(name = "sib.axon-setup", havingValue = "ledger", matchIfMissing = true)
    public NotifyingEventSource ledgerEventSource(org.axonframework.eventsourcing.eventstore.EventStore eventStore,
                                                 EventStorageEngine eventStorageEngine,
                                                 @Value("${sib.event-poll:100ms}") java.time.Duration idlePoll) {
        return new NotifyingEventSource(eventStore, eventStorageEngine, idlePoll);
    }

    /**
     * Which set-up of Axon the ledger runs on ({@code sib.axon-setup}, application.yml imports
     * {@code axon-setup-<name>.yml} for it): {@code ledger}, the default, as configured here; {@code axon-streams}, the
     * same read models and publisher on the same pooled processors, fed by Axon's own embedded event store (tuned)
     * instead of {@link NotifyingEventSource}, to measure what that class earns (issue 13); {@code peer}, Axon's
     * ordinary Spring Boot set-up ({@link PeerConfig}, issue 18). The last two exist for the benchmarks.
     */
    @Bean
    static org.springframework.beans.factory.InitializingBean axonSetupKnown(
            @Value("${sib.axon-setup:ledger}") String setup) {
        return () -> {
            if (!java.util.Set.of("ledger", "axon-streams", "peer").contains(setup)) {
                throw new IllegalStateException("sib.axon-setup is '" + setup + "'; it may be ledger (the default),"
                        + " axon-streams or peer");
            }
        };
    }

    /**
     * Under {@code sib.axon-setup=axon-streams}: Axon's embedded event store, which Axon's auto-configuration makes (as
     * the bean {@code eventBus}) with no setting for its timing, made again the same way but tuned for the read models'
     * latency: it reads the store again every {@code sib.event-store.fetch-delay} (Axon: 1 s) when no commit on this
     * node woke it, keeps {@code sib.event-store.cached-events} recent events for its streams, and ends an idle stream's
     * shared reader after {@code sib.event-store.cleanup-delay} (Axon: 10 s). Replaced after it is made rather than
     * declared instead: a bean of type EventStore of the application's own would also switch off Axon's auto-configured
     * JDBC storage engine. The one made by Axon has started nothing yet (its reader starts with its first stream).
     */
    @Bean
    @ConditionalOnProperty(name = "sib.axon-setup", havingValue = "axon-streams")
    static org.springframework.beans.factory.config.BeanPostProcessor tunedEventStore(
            org.springframework.beans.factory.ObjectProvider<EventStorageEngine> storageEngine,
            org.springframework.beans.factory.ObjectProvider<org.axonframework.config.Configuration> configuration,
            org.springframework.core.env.Environment env) {
        return new org.springframework.beans.factory.config.BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (!"eventBus".equals(name) || !(bean instanceof org.axonframework.eventsourcing.eventstore.EmbeddedEventStore)) {
                    return bean;
                }
                org.axonframework.config.Configuration axon = configuration.getObject();
                return org.axonframework.eventsourcing.eventstore.EmbeddedEventStore.builder()
                        .storageEngine(storageEngine.getObject())
                        .messageMonitor(axon.messageMonitor(org.axonframework.eventsourcing.eventstore.EventStore.class,
                                "eventStore"))
                        .spanFactory(axon.getComponent(org.axonframework.eventhandling.EventBusSpanFactory.class))
                        .fetchDelay(env.getProperty("sib.event-store.fetch-delay", java.time.Duration.class,
                                java.time.Duration.ofMillis(100)).toMillis())
                        .cleanupDelay(env.getProperty("sib.event-store.cleanup-delay", java.time.Duration.class,
                                java.time.Duration.ofSeconds(10)).toMillis())
                        .cachedEvents(env.getProperty("sib.event-store.cached-events", Integer.class, 10_000))
                        .timeUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
                        .build();
            }
        };
    }

}
