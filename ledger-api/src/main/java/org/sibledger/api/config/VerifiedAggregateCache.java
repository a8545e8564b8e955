package org.sibledger.api.config;

import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bonds kept in memory between commands, each used only while it is as new as its stream in the event store.
 * <p>
 * Several nodes share one database, so a bond cached here may miss events another node appended. A command on such a
 * bond would not only collide when it appends (which Axon's retry handles) but could also be refused for a state
 * that is no longer true (a bond "without commitments" that has one). So every look-up compares the cached version
 * with the stream's last sequence number (one indexed query, under the bond's lock) and drops a stale entry, which
 * makes Axon load the bond from its snapshot and events as it would without a cache.
 */
public class VerifiedAggregateCache extends WeakReferenceCache {

    private final Supplier<EventStore> store;

    public VerifiedAggregateCache(Supplier<EventStore> store) {
        this.store = store;
    }

    @Override
    public <K, V> V get(K key) {
        V value = super.get(key);
        if (value instanceof AggregateCacheEntry<?> entry) {
            Long cached = version(entry);
            Optional<Long> stored = store.get().lastSequenceNumberFor(String.valueOf(key));
            if (cached == null || stored.isEmpty() || !stored.get().equals(cached)) {
                remove(key);
                return null;
            }
        }
        return value;
    }

    /** The cached aggregate's version, or null when the entry holds no live aggregate (then it is not used). */
    private static Long version(AggregateCacheEntry<?> entry) {
        try {
            return entry.recreateAggregate(null, null, null, null).version();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
