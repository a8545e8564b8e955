package org.sibledger.api.config;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Bonds kept in memory between commands, each used only while it is as new as its stream in the event store.
 * <p>
 * Several nodes share one database, so a bond cached here may miss events another node appended. A command on such a
 * bond would not only collide when it appends (which Axon's retry handles) but could also be refused for a state
 * that is no longer true (a bond "without commitments" that has one). So every look-up compares the cached version
 * with the stream's last sequence number (one indexed query, under the bond's lock) and drops a stale entry, which
 * makes Axon load the bond from its snapshot and events as it would without a cache.
 * <p>
 * The entries are held by a Caffeine cache of at most {@code sib.bond-cache.size} bonds (least used go first), with
 * soft references, so the garbage collector may still take them when the heap runs short. Axon's
 * {@code WeakReferenceCache}, used before, lost every bond at the next collection of the young generation, which
 * under load comes several times a second: JFR of ingesting claims for bonds of 10,000 participants showed about
 * half of the commands' CPU going to loading them from their snapshots again.
 */
public class VerifiedAggregateCache implements Cache {

    private final Supplier<EventStore> store;
    private final ConcurrentMap<Object, Object> entries;
    private final Set<EntryListener> listeners = new CopyOnWriteArraySet<>();

    public VerifiedAggregateCache(Supplier<EventStore> store, long maximumSize) {
        this.store = store;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .softValues()
                .executor(Runnable::run)
                .removalListener((Object key, Object value, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (key != null && cause.wasEvicted()) {
                        listeners.forEach(listener -> listener.onEntryExpired(key));
                    }
                })
                .build().asMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        Object value = entries.get(key);
        if (value instanceof AggregateCacheEntry<?> entry) {
            Long cached = version(entry);
            Optional<Long> stored = store.get().lastSequenceNumberFor(String.valueOf(key));
            if (cached == null || stored.isEmpty() || !stored.get().equals(cached)) {
                remove(key);
                return null;
            }
        }
        if (value != null) {
            listeners.forEach(listener -> listener.onEntryRead(key, value));
        }
        return (V) value;
    }

    /** The cached aggregate's version, or null when the entry holds no live aggregate (then it is not used). */
    private static Long version(AggregateCacheEntry<?> entry) {
        try {
            return entry.recreateAggregate(null, null, null, null).version();
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void put(Object key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Null values not supported");
        }
        boolean updated = entries.put(key, value) != null;
        listeners.forEach(listener -> {
            if (updated) {
                listener.onEntryUpdated(key, value);
            } else {
                listener.onEntryCreated(key, value);
            }
        });
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Null values not supported");
        }
        if (entries.putIfAbsent(key, value) == null) {
            listeners.forEach(listener -> listener.onEntryCreated(key, value));
            return true;
        }
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        Object existing = entries.get(key);
        if (existing != null) {
            return (T) existing;
        }
        T created = valueSupplier.get();
        if (created == null) {
            throw new IllegalStateException("Value Supplier of Cache produced a null value for key [" + key + "]!");
        }
        put(key, created);
        return created;
    }

    @Override
    public boolean remove(Object key) {
        if (entries.remove(key) != null) {
            listeners.forEach(listener -> listener.onEntryRemoved(key));
            return true;
        }
        return false;
    }

    @Override
    public void removeAll() {
        new ArrayList<>(entries.keySet()).forEach(this::remove);
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.computeIfPresent(key, (k, current) -> {
            V value = update.apply((V) current);
            listeners.forEach(listener -> {
                if (value != null) {
                    listener.onEntryUpdated(key, value);
                } else {
                    listener.onEntryRemoved(key);
                }
            });
            return value;
        });
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener entryListener) {
        listeners.add(entryListener);
        return () -> listeners.remove(entryListener);
    }
}
