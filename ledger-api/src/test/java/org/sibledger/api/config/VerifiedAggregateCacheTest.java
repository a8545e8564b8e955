package org.sibledger.api.config;

import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache itself; that a stale bond is never used is checked on two real nodes by TwoNodesTest. */
class VerifiedAggregateCacheTest {

    @Test
    void anEntryOutlivesGarbageCollections() {
        VerifiedAggregateCache cache = new VerifiedAggregateCache(() -> null, 10);
        cache.put("bond-1", new StringBuilder("a bond nobody else references"));
        for (int i = 0; i < 3; i++) {
            System.gc(); // Axon's WeakReferenceCache loses the entry here
        }
        assertThat(cache.<String, StringBuilder>get("bond-1")).hasToString("a bond nobody else references");
    }

    @Test
    void itHoldsAtMostItsSizeAndTellsItsListeners() {
        VerifiedAggregateCache cache = new VerifiedAggregateCache(() -> null, 3);
        List<String> told = new CopyOnWriteArrayList<>();
        cache.registerCacheEntryListener(new Cache.EntryListenerAdapter() {
            @Override
            public void onEntryCreated(Object key, Object value) {
                told.add("created " + key);
            }

            @Override
            public void onEntryRemoved(Object key) {
                told.add("removed " + key);
            }

            @Override
            public void onEntryExpired(Object key) {
                told.add("expired " + key);
            }
        });
        IntStream.range(0, 50).forEach(i -> cache.put("bond-" + i, "state " + i));
        assertThat(IntStream.range(0, 50).filter(i -> cache.containsKey("bond-" + i)).count()).isLessThanOrEqualTo(3);
        assertThat(told.stream().filter(t -> t.startsWith("created"))).hasSize(50);
        assertThat(told.stream().filter(t -> t.startsWith("expired"))).hasSizeGreaterThanOrEqualTo(47);

        cache.put("kept", "state");
        assertThat(cache.remove("kept")).isTrue();
        assertThat(cache.remove("kept")).isFalse();
        assertThat(told).endsWith("removed kept");
        assertThat(cache.<String, String>get("kept")).isNull();
    }
}
