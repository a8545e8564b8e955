package org.sibledger.api.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescingSnapshotterTest {

    @Test
    void aRequestWhileASnapshotIsTakenGetsOneMoreAfterItAndQueuedRequestsJoin() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        List<String> taken = new CopyOnWriteArrayList<>();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            CoalescingSnapshotter snapshotter = new CoalescingSnapshotter((type, id) -> {
                if (taken.isEmpty()) {
                    firstStarted.countDown();
                    await(releaseFirst);
                }
                taken.add(id);
            }, thread);

            snapshotter.scheduleSnapshot(Object.class, "bond-1");
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            // bond-1 is being snapshotted: these three ask for one more, taken after it; bond-2 is its own
            snapshotter.scheduleSnapshot(Object.class, "bond-1");
            snapshotter.scheduleSnapshot(Object.class, "bond-1");
            snapshotter.scheduleSnapshot(Object.class, "bond-2");
            snapshotter.scheduleSnapshot(Object.class, "bond-1");
            releaseFirst.countDown();
            thread.submit(() -> { }).get(5, TimeUnit.SECONDS);

            assertThat(taken).containsExactly("bond-1", "bond-1", "bond-2");
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aRequestAfterShutdownIsDroppedWithoutFailingTheCommand() {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        thread.shutdown();
        List<String> taken = new CopyOnWriteArrayList<>();
        CoalescingSnapshotter snapshotter = new CoalescingSnapshotter((type, id) -> taken.add(id), thread);
        snapshotter.scheduleSnapshot(Object.class, "bond-1");
        assertThat(taken).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw new AssertionError("the test did not release the first snapshot within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
