package org.sibledger.api.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pumped stream hands over every event of the store's stream, in order, says when one is there, passes on the
 * store's failure once what was read before it is consumed, and stops reading (and closes the store's stream) when
 * closed.
 */
class NotifyingEventSourceTest {

    @Test
    void everyEventArrivesInOrderAndTheCallbackSaysWhen() throws Exception {
        FakeStream source = new FakeStream();
        try (NotifyingEventSource.PumpedStream stream = new NotifyingEventSource.PumpedStream(source)) {
            assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).as("nothing yet").isFalse();
            CountDownLatch called = new CountDownLatch(1);
            assertThat(stream.setOnAvailableCallback(called::countDown)).as("callbacks supported").isTrue();
            source.add(1);
            assertThat(called.await(2, TimeUnit.SECONDS)).as("the callback on the first event").isTrue();
            for (int i = 2; i <= 3_000; i++) {
                source.add(i); // more than the buffer holds: the pump waits for the reader
            }
            List<Long> read = new ArrayList<>();
            while (read.size() < 3_000) {
                assertThat(stream.hasNextAvailable(2, TimeUnit.SECONDS)).isTrue();
                Optional<TrackedEventMessage<?>> peeked = stream.peek();
                TrackedEventMessage<?> next = stream.nextAvailable();
                assertThat(peeked).containsSame(next);
                read.add(next.trackingToken().position().orElseThrow());
            }
            assertThat(read).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 3_000).boxed().toList());
            assertThat(stream.peek()).isEmpty();
        }
    }

    @Test
    void aCallbackSetWhileEventsWaitIsCalledAtOnce() throws Exception {
        FakeStream source = new FakeStream();
        source.add(1);
        try (NotifyingEventSource.PumpedStream stream = new NotifyingEventSource.PumpedStream(source)) {
            AtomicInteger calls = new AtomicInteger();
            // once the pump has buffered the event, setting a callback calls it at once
            within(2, () -> {
                stream.setOnAvailableCallback(calls::incrementAndGet);
                return calls.get() > 0;
            });
            assertThat(calls.get()).isPositive();
        }
    }

    @Test
    void theStoresFailureComesAfterTheEventsReadBeforeIt() throws Exception {
        FakeStream source = new FakeStream();
        try (NotifyingEventSource.PumpedStream stream = new NotifyingEventSource.PumpedStream(source)) {
            source.add(1);
            source.fail(new IllegalStateException("database gone"));
            assertThat(stream.hasNextAvailable(2, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.nextAvailable().trackingToken().position()).hasValue(1);
            within(2, source.closed::get);
            assertThatThrownBy(() -> stream.hasNextAvailable(100, TimeUnit.MILLISECONDS))
                    .isInstanceOf(IllegalStateException.class).hasMessage("database gone");
            assertThatThrownBy(stream::nextAvailable).hasMessage("database gone");
            assertThat(source.closed).as("the failed stream is closed by its pump").isTrue();
        }
    }

    @Test
    void closingStopsThePumpAndClosesTheStoresStream() throws Exception {
        FakeStream source = new FakeStream();
        NotifyingEventSource.PumpedStream stream = new NotifyingEventSource.PumpedStream(source);
        stream.close();
        within(3, source.closed::get);
        assertThat(source.closed).isTrue();
        source.add(1);
        assertThat(stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)).as("nothing read after close").isFalse();
    }

    @Test
    void whileTheBufferIsFullTheCallbackIsCalledAgainSoAMissedWakeUpCostsNoMoreThanAMoment() throws Exception {
        FakeStream source = new FakeStream();
        for (int i = 1; i <= NotifyingEventSource.BUFFER + 1; i++) {
            source.add(i);
        }
        try (NotifyingEventSource.PumpedStream stream = new NotifyingEventSource.PumpedStream(source)) {
            AtomicInteger calls = new AtomicInteger();
            stream.setOnAvailableCallback(calls::incrementAndGet);
            // nobody reads: once the pump holds the last event, the buffer is full and the pump waits
            within(3, source.items::isEmpty);
            assertThat(source.items).isEmpty();
            int before = calls.get();
            within(3, () -> calls.get() - before >= 3);
            assertThat(calls.get() - before).as("calls while the buffer stayed full").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void theStorageIsReadInOrderThenAgainAtOnceWhenNudgedAndEveryIdlePollWhenNot() throws Exception {
        InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine();
        append(storage, 1, 3);
        java.util.List<NotifyingEventSource.PolledStorageStream> closed = new ArrayList<>();
        NotifyingEventSource.PolledStorageStream stream =
                new NotifyingEventSource.PolledStorageStream(storage, null, java.time.Duration.ofSeconds(30), closed::add);
        assertThat(read(stream, 3)).containsExactly("event 0", "event 1", "event 2");
        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).as("nothing more yet").isFalse();

        // a commit on this node nudges the stream, which reads again at once instead of after its 30 s poll
        CountDownLatch seen = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try {
                if (stream.hasNextAvailable(10, TimeUnit.SECONDS)) {
                    seen.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        within(5, () -> reader.getState() == Thread.State.TIMED_WAITING || reader.getState() == Thread.State.WAITING);
        append(storage, 4, 1);
        long nudged = System.nanoTime();
        stream.nudge();
        assertThat(seen.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - nudged).as("read on the nudge").isLessThan(TimeUnit.SECONDS.toNanos(5));
        reader.join();
        assertThat(read(stream, 1)).containsExactly("event 3");
        stream.close();
        assertThat(closed).containsExactly(stream);

        // without a nudge (another node's commit), the idle poll finds it
        NotifyingEventSource.PolledStorageStream polling = new NotifyingEventSource.PolledStorageStream(storage,
                stream.lastToken(), java.time.Duration.ofMillis(20), s -> {
        });
        assertThat(polling.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();
        append(storage, 5, 2);
        assertThat(polling.hasNextAvailable(2, TimeUnit.SECONDS)).isTrue();
        assertThat(read(polling, 2)).containsExactly("event 4", "event 5");
        polling.close();
    }

    @Test
    void whenTheStoreDoesNotAnswerTheStreamWaitsAndReadsOnFromItsLastEventWithoutFailingTheProcessor() throws Exception {
        java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();
        InMemoryEventStorageEngine storage = new InMemoryEventStorageEngine() {
            @Override
            public java.util.stream.Stream<? extends org.axonframework.eventhandling.TrackedEventMessage<?>> readEvents(
                    org.axonframework.eventhandling.TrackingToken token, boolean mayBlock) {
                if (failuresLeft.getAndUpdate(left -> Math.max(left - 1, 0)) > 0) {
                    throw new IllegalStateException("connection refused");
                }
                return super.readEvents(token, mayBlock);
            }
        };
        append(storage, 1, 2);
        NotifyingEventSource.PolledStorageStream stream = new NotifyingEventSource.PolledStorageStream(storage, null,
                java.time.Duration.ofMillis(20), s -> {
        });
        assertThat(read(stream, 2)).containsExactly("event 0", "event 1");
        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).as("caught up").isFalse();

        // given the database away for three reads, when events are appended meanwhile, then the stream has nothing
        // available (no failure) while it is away, and reads every event once it answers, in order, none twice
        failuresLeft.set(3);
        append(storage, 3, 2);
        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).as("nothing while the store is away").isFalse();
        assertThat(read(stream, 2)).containsExactly("event 2", "event 3");
        assertThat(failuresLeft.get()).as("the store was asked again until it answered").isZero();
        assertThat(stream.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();
        stream.close();
    }

    private static void append(InMemoryEventStorageEngine storage, int firstSequence, int count) {
        List<org.axonframework.eventhandling.EventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int sequence = firstSequence - 1 + i;
            events.add(new org.axonframework.eventhandling.GenericDomainEventMessage<>("Bond", "bond-1", sequence,
                    "event " + sequence));
        }
        storage.appendEvents(events);
    }

    private static List<Object> read(NotifyingEventSource.PolledStorageStream stream, int count) throws InterruptedException {
        List<Object> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            assertThat(stream.hasNextAvailable(2, TimeUnit.SECONDS)).isTrue();
            payloads.add(stream.nextAvailable().getPayload());
        }
        return payloads;
    }

    /** Waits until {@code done}, at most {@code seconds}; the assertion after it says what was expected. */
    private static void within(int seconds, java.util.function.BooleanSupplier done) throws InterruptedException {
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(seconds))
                    .pollInterval(java.time.Duration.ofMillis(5)).until(done::getAsBoolean);
        } catch (org.awaitility.core.ConditionTimeoutException notMet) {
            // the assertion after the wait says what was expected
        }
    }

    /** The store's stream: events added by the test, or a failure. */
    private static final class FakeStream implements BlockingStream<TrackedEventMessage<?>> {

        private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private final AtomicBoolean closed = new AtomicBoolean();
        private Object head;

        void add(long position) {
            items.add(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(position),
                    GenericEventMessage.asEventMessage("event " + position)));
        }

        void fail(RuntimeException failure) {
            items.add(failure);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            throw new UnsupportedOperationException("the pump does not peek");
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (head == null) {
                head = items.poll(timeout, unit);
            }
            if (head instanceof RuntimeException failure) {
                throw failure;
            }
            return head != null;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                // wait
            }
            TrackedEventMessage<?> next = (TrackedEventMessage<?>) head;
            head = null;
            return next;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
