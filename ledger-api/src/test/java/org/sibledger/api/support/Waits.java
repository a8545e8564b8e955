package org.sibledger.api.support;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Waiting for a condition, not for a time: Awaitility polls, and the caller gets the last answer to assert on. */
public final class Waits {

    private Waits() {
    }

    /**
     * Asks {@code probe} at once and then every {@code every} until {@code done} holds or {@code within} has passed;
     * returns the last answer either way, so the caller's assertion names what was seen.
     */
    public static <T> T lastAnswer(Duration within, Duration every, Callable<T> probe, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            Awaitility.await().atMost(within).pollDelay(Duration.ZERO).pollInterval(every).until(() -> {
                T answer = probe.call();
                last.set(answer);
                return done.test(answer);
            });
        } catch (ConditionTimeoutException notMet) {
            // the caller asserts on the last answer
        }
        return last.get();
    }
}
