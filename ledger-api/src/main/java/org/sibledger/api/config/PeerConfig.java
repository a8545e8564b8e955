package org.sibledger.api.config;

import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.sibledger.api.projection.ReadModels;
import org.sibledger.core.bond.Bond;
import org.sibledger.projections.common.BatchedWrites;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The peer of the benchmarks ({@code sib.axon-setup=peer}, issue 18): the same Bond, commands, REST API, Kafka intake
 * and read-model SQL on Axon's ordinary Spring Boot set-up, as a team following Axon's reference guide would build it,
 * so that one run can say what the ledger's own infrastructure earns. What differs from the ledger is only this:
 * <ul>
 *   <li>the Bond is cached in Axon's {@link WeakReferenceCache} (the reference guide's cache) instead of
 *   {@link CurrentBondCache}, and snapshotted every {@code sib.snapshot-threshold} events (the same 250) by the
 *   snapshotter Axon's Spring Boot auto-configuration makes (it snapshots in the command's thread, after the commit),
 *   instead of on an executor of its own;</li>
 *   <li>each read model (processing group) is its own tracking processor on Axon's auto-configured embedded event store,
 *   with Axon's defaults (one thread, one segment, one event per transaction with its token) instead of one pooled
 *   processor for all seven on {@link NotifyingEventSource} with batches of 500; their dead-letter queues are Axon's,
 *   configured as the ledger's (application.yml); their writes are plain JDBC, each statement executed when the handler
 *   makes it ({@link #plainReadModelWrites}) instead of batched at the commit, and no {@code ReadModelGuard};</li>
 *   <li>no per-bond progress row: a command's answer waits for read-your-writes on the processors' own tokens, in memory
 *   ({@link ReadModels#awaitBond});</li>
 *   <li>the Kafka publisher keeps its handler and its pooled processor (it acknowledges per batch) but reads Axon's
 *   event store too (axon-setup-peer.yml).</li>
 * </ul>
 * Serializers and the JDBC storage engine are Axon's auto-configured ones in both set-ups.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "sib.axon-setup", havingValue = "peer")
public class PeerConfig {

    /**
     * The Bond, cached and snapshotted the ordinary way (see the class). The snapshotter bean is Axon's Spring Boot one,
     * which needs Axon's configuration: it is looked up when the Bond's repository is built, once that exists.
     */
    @Bean
    public ConfigurerModule peerModule(ObjectProvider<Snapshotter> snapshotter,
                                       @Value("${sib.snapshot-threshold:250}") int snapshotThreshold) {
        return configurer -> configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(Bond.class)
                .configureCache(c -> new WeakReferenceCache())
                .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(snapshotter.getObject(),
                        snapshotThreshold)));
    }

    /**
     * How Axon's Spring snapshotter finds how to make a Bond: it looks for an {@link AggregateFactory} bean, which Axon
     * declares itself for an aggregate that is a Spring bean ({@code @Aggregate}); ledger-core keeps Spring out.
     */
    @Bean
    public AggregateFactory<Bond> bondAggregateFactory() {
        return new GenericAggregateFactory<>(Bond.class);
    }

    /**
     * The read models' writes as plain JDBC: each statement a handler makes is executed at once, in the processor's
     * transaction, instead of being batched until the commit ({@link BatchedWrites#eventByEvent}).
     */
    @Bean
    public HandlerEnhancerDefinition plainReadModelWrites() {
        return new HandlerEnhancerDefinition() {
            @Override
            public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
                if (ReadModels.readModelOf(original) == null) {
                    return original;
                }
                return new WrappedMessageHandlingMember<>(original) {
                    @Override
                    public Object handle(Message<?> message, T target) throws Exception {
                        return BatchedWrites.eventByEvent(() -> original.handle(message, target));
                    }
                };
            }
        };
    }
}
