package org.sibledger.core.bond;

import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateAnnotationCommandHandler;
import org.sibledger.contracts.common.CommandRefusedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One bond held in memory between its commands, as the application's bond cache holds it: Axon's event sourcing
 * repository with a cache, over an in-memory event store, behind a command bus. A refused command rolls its unit of
 * work back, and Axon then drops the bond from the cache, so the next command loads it from its events, as in the
 * application.
 */
final class KeptBond {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final EventSourcingRepository<Bond> repository = EventSourcingRepository.builder(Bond.class)
            .eventStore(store).cache(new MapCache()).build();
    private final SimpleCommandBus bus = SimpleCommandBus.builder().build();

    KeptBond() {
        AggregateAnnotationCommandHandler.<Bond>builder().aggregateType(Bond.class).repository(repository).build()
                .subscribe(bus);
    }

    /** The events the command recorded; a refusal is thrown as it is. */
    List<DomainEventMessage<?>> send(Object command, MetaData metaData) {
        List<DomainEventMessage<?>> recorded = new ArrayList<>();
        Registration subscription = store.subscribe(events -> events.forEach(e -> recorded.add((DomainEventMessage<?>) e)));
        try {
            FutureCallback<Object, Object> callback = new FutureCallback<>();
            bus.dispatch(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData), callback);
            CommandResultMessage<?> result = callback.getResult();
            if (result.isExceptional()) {
                if (result.exceptionResult() instanceof CommandRefusedException refused) {
                    throw refused;
                }
                throw new AssertionError("the command failed", result.exceptionResult());
            }
        } finally {
            subscription.cancel();
        }
        return recorded;
    }

    /** The bond as the next command will find it: the one held in memory, if it is held. */
    void inspect(String bondId, Consumer<Bond> check) {
        DefaultUnitOfWork.startAndGet(null).execute(() -> repository.load(bondId).execute(check));
    }

    /** Axon's cache over a map: nothing is ever evicted but what Axon removes. */
    private static final class MapCache implements Cache {

        private final Map<Object, Object> entries = new HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public <K, V> V get(K key) {
            return (V) entries.get(key);
        }

        @Override
        public void put(Object key, Object value) {
            entries.put(key, value);
        }

        @Override
        public boolean putIfAbsent(Object key, Object value) {
            return entries.putIfAbsent(key, value) == null;
        }

        @Override
        public boolean remove(Object key) {
            return entries.remove(key) != null;
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public Registration registerCacheEntryListener(EntryListener entryListener) {
            return () -> true;
        }
    }
}
