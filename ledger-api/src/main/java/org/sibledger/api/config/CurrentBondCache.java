package org.sibledger.api.config;

import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.JCacheAdapter;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.axonframework.eventsourcing.eventstore.EventStore;

import javax.cache.Caching;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Bonds kept in memory between commands: Axon's cache API ({@link JCacheAdapter}) over Caffeine (its JCache provider,
 * at most {@code sib.bond-cache.size} bonds, least used first out, held by reference), decorated with one check: a
 * cached bond is used only while it is as new as its stream in the event store.
 * <p>
 * Several nodes share one database, so a bond cached here may miss events another node appended. A command on such a
 * bond would not only collide when it appends (which Axon's retry handles) but could also be refused for a state that
 * is no longer true (a bond "without commitments" that has one; {@code TwoNodesTest} caught it with a plain cache).
 * So each look-up compares the cached version with the stream's last sequence number (one indexed query, under the
 * bond's lock) and drops a stale entry, which makes Axon load the bond from its snapshot and events. Axon's
 * {@code WeakReferenceCache} is not used: it lost every bond at each young-generation collection, several times a
 * second under load (JFR: half the commands' CPU went to loading bonds again).
 */
public final class CurrentBondCache implements Cache {

    private final Cache cached;
    private final Supplier<EventStore> store;

    /** A cache of at most {@code maximumSize} bonds, each checked against {@code store} when it is read. */
    public CurrentBondCache(Supplier<EventStore> store, long maximumSize) {
        CaffeineConfiguration<Object, Object> configuration = new CaffeineConfiguration<>();
        configuration.setMaximumSize(OptionalLong.of(maximumSize));
        configuration.setStoreByValue(false);
        // one cache per application context: several ledgers may run in one JVM (the tests' nodes)
        this.cached = new JCacheAdapter(Caching.getCachingProvider(CaffeineCachingProvider.class.getName())
                .getCacheManager().createCache("sib-bonds-" + UUID.randomUUID(), configuration));
        this.store = store;
    }

    @Override
    public <K, V> V get(K key) {
        V value = cached.get(key);
        if (value instanceof AggregateCacheEntry<?> entry && !current(key, entry)) {
            cached.remove(key);
            return null;
        }
        return value;
    }

    private boolean current(Object key, AggregateCacheEntry<?> entry) {
        Long version;
        try {
            version = entry.recreateAggregate(null, null, null, null).version();
        } catch (RuntimeException noLiveAggregate) {
            return false;
        }
        Optional<Long> stored = store.get().lastSequenceNumberFor(String.valueOf(key));
        return version != null && stored.isPresent() && stored.get().equals(version);
    }

    @Override
    public void put(Object key, Object value) {
        cached.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return cached.putIfAbsent(key, value);
    }

    @Override
    public <T> T computeIfAbsent(Object key, Supplier<T> valueSupplier) {
        return cached.computeIfAbsent(key, valueSupplier);
    }

    @Override
    public boolean remove(Object key) {
        return cached.remove(key);
    }

    @Override
    public void removeAll() {
        cached.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return cached.containsKey(key);
    }

    @Override
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        cached.computeIfPresent(key, update);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener entryListener) {
        return cached.registerCacheEntryListener(entryListener);
    }
}
