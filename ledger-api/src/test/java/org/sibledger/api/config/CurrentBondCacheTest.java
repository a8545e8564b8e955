package org.sibledger.api.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bond cache: Axon's cache API over Caffeine holds what it is given (a garbage collection does not take it, as it
 * took the entries of Axon's WeakReferenceCache) and at most its size. Whether a cached bond is used only while it is
 * as new as its stream is shown where it matters, by two nodes appending to one bond ({@code TwoNodesTest}).
 */
class CurrentBondCacheTest {

    @Test
    void anEntryOutlivesGarbageCollections() {
        CurrentBondCache cache = new CurrentBondCache(() -> null, 10);
        cache.put("bond-1", new StringBuilder("a bond nobody else references"));
        for (int i = 0; i < 3; i++) {
            System.gc(); // Axon's WeakReferenceCache loses the entry here
        }
        assertThat(cache.<String, StringBuilder>get("bond-1")).hasToString("a bond nobody else references");
    }

    @Test
    void itHoldsAtMostItsSize() {
        CurrentBondCache cache = new CurrentBondCache(() -> null, 3);
        IntStream.range(0, 50).forEach(i -> cache.put("bond-" + i, "state " + i));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                IntStream.range(0, 50).filter(i -> cache.containsKey("bond-" + i)).count() <= 3);

        cache.put("kept", "state");
        assertThat(cache.<String, String>get("kept")).isEqualTo("state");
        assertThat(cache.remove("kept")).isTrue();
        assertThat(cache.remove("kept")).isFalse();
        assertThat(cache.<String, String>get("kept")).isNull();
    }
}
