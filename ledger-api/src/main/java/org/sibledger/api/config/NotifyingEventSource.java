package org.sibledger.api.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event store as the read models' and the publisher's source, with streams that say when an event is there.
 * <p>
 * Axon 4's embedded event store hands out streams without an availability callback, so a pooled processor that has
 * caught up looks again only every 500 ms: every read model, every read-your-writes answer and every event on Kafka
 * waited up to half a second. Each stream opened here is drained by a thread of its own, which calls the processor's
 * callback as soon as an event is buffered. Axon offers no such adapter for its JDBC store (AxonFramework#3832), so
 * it is written here; it changes when events are seen, never which or in what order.
 * <p>
 * The pump reads the storage engine itself ({@link PolledStorageStream}), in batches, not through the embedded
 * store's streams: those switch between a private stream and the store's shared cache of recent events, and a
 * consumer catching up on a large store waited in the shared stream at such a switch (a JFR recording of a replay of
 * 100,000 events had the pump parked there for 9.8 s of 38 s). Once it has read everything, a stream reads again at
 * once when an event is committed on this node (the store tells its subscribers, and the stream is nudged after the
 * commit) and every {@code idlePoll} ({@code sib.event-poll}, 100 ms) for events committed by other nodes.
 * <p>
 * While events wait in the buffer the pump calls the callback again every 100 ms: Axon's coordinator can miss a
 * wake-up and then sleep until its next claim check, 5 s later, with the buffer full and every work package idle
 * (thread dumps taken by the replay benchmark in such a stall showed exactly that; it happened in most replays).
 * <p>
 * Kept because the benchmark shows the framework cannot do it here: the same pooled processors fed by Axon's own
 * {@code EmbeddedEventStore}, tuned (fetch delay 100 ms, 10,000 cached events, token claim 1 s; the {@code axon-streams}
 * set-up of {@code BenchmarksTest}), answered a REST command with read-your-writes in p50 501 ms / p99 513 ms against
 * 20 ms / 41 ms with this source, and replayed 100,000 events at 1,381 events/s against 3,537 (medium scale, same run,
 * 2026-12-07, benchmarks/medium-2026-12-07-peer-and-streams.md).
 */
public class NotifyingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NotifyingEventSource.class);

    /** Events read ahead of the processor at most: the pump waits while the processor is that far behind. */
    static final int BUFFER = 1024;

    private static final AtomicInteger STREAMS = new AtomicInteger();

    private final EventStore store;
    private final EventStorageEngine storage;
    private final Duration idlePoll;
    private final java.util.Set<PolledStorageStream> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public NotifyingEventSource(EventStore store, EventStorageEngine storage, Duration idlePoll) {
        this.store = store;
        this.storage = storage;
        this.idlePoll = idlePoll;
        store.subscribe(events -> {
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(u -> nudge());
            } else {
                nudge();
            }
        });
    }

    private void nudge() {
        open.forEach(PolledStorageStream::nudge);
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        PolledStorageStream source = new PolledStorageStream(storage, trackingToken, idlePoll, open::remove);
        open.add(source);
        return new PumpedStream(source);
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    /**
     * One stream: the pump thread alone touches the store's stream, the processor reads the buffer. A failure of the
     * store's stream (the database gone) is handed to the processor on its next read, which makes it abort and open
     * a new stream from its tokens, as it would have without the pump.
     */
    static final class PumpedStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> source;
        private final BlockingQueue<TrackedEventMessage<?>> buffer = new ArrayBlockingQueue<>(BUFFER);
        private final Thread pump;
        private volatile Runnable onAvailable = () -> {
        };
        private volatile boolean closed;
        private volatile RuntimeException failure;
        private volatile TrackedEventMessage<?> peeked;

        PumpedStream(BlockingStream<TrackedEventMessage<?>> source) {
            this.source = source;
            this.pump = new Thread(this::pump, "sib-event-pump-" + STREAMS.incrementAndGet());
            this.pump.setDaemon(true);
            this.pump.start();
        }

        private void pump() {
            try {
                while (!closed) {
                    if (!source.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
                        if (!buffer.isEmpty()) {
                            // events wait that the processor has not taken: say so again (see the class)
                            onAvailable.run();
                        }
                    } else {
                        TrackedEventMessage<?> event = source.nextAvailable();
                        while (!buffer.offer(event, 100, TimeUnit.MILLISECONDS)) {
                            if (closed) {
                                return;
                            }
                            // the buffer is full: say so again (see the class)
                            onAvailable.run();
                        }
                        onAvailable.run();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!closed) {
                    failure = e;
                    onAvailable.run();
                }
            } finally {
                source.close();
            }
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            if (peeked == null) {
                peeked = buffer.poll();
            }
            if (peeked == null) {
                rethrowFailure();
            }
            return Optional.ofNullable(peeked);
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (peeked == null) {
                peeked = buffer.poll(timeout, unit);
            }
            if (peeked == null) {
                rethrowFailure();
            }
            return peeked != null;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (peeked == null) {
                rethrowFailure();
                peeked = buffer.poll(100, TimeUnit.MILLISECONDS);
            }
            TrackedEventMessage<?> next = peeked;
            peeked = null;
            return next;
        }

        private void rethrowFailure() {
            RuntimeException failed = failure;
            if (failed != null && buffer.isEmpty()) {
                throw failed;
            }
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            onAvailable = callback;
            if (!buffer.isEmpty() || failure != null) {
                callback.run();
            }
            return true;
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            // the store's stream is read by the pump; skipping is only an optimisation, so nothing is skipped
        }

        @Override
        public void close() {
            closed = true;
            pump.interrupt();
        }
    }

    /**
     * The storage engine's events after a token, read in the engine's batches. When a read finds nothing more, the
     * stream waits for a nudge (a commit on this node) or {@code idlePoll}, whichever comes first, and reads again from
     * the last event's token, whose gaps let an event committed late by a slower transaction still be read.
     */
    static final class PolledStorageStream implements BlockingStream<TrackedEventMessage<?>> {

        private final EventStorageEngine storage;
        private final long idlePollNanos;
        private final java.util.function.Consumer<PolledStorageStream> onClose;
        private final BlockingQueue<Boolean> nudges = new ArrayBlockingQueue<>(1);
        private TrackingToken last;
        private java.util.stream.Stream<? extends TrackedEventMessage<?>> reading;
        private java.util.Iterator<? extends TrackedEventMessage<?>> events;
        private TrackedEventMessage<?> peeked;
        /** Milliseconds of the current pause after the store did not answer, 0 while it answers. */
        private long away;
        private long retryAtNanos = System.nanoTime();
        static final long MAX_RETRY_MS = 2000;

        PolledStorageStream(EventStorageEngine storage, TrackingToken from, Duration idlePoll,
                            java.util.function.Consumer<PolledStorageStream> onClose) {
            this.storage = storage;
            this.last = from;
            this.idlePollNanos = idlePoll.toNanos();
            this.onClose = onClose;
        }

        void nudge() {
            nudges.offer(Boolean.TRUE);
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            try {
                return hasNextAvailable(0, TimeUnit.MILLISECONDS) ? Optional.of(peeked) : Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (peeked == null) {
                long pause = retryAtNanos - System.nanoTime();
                if (pause <= 0) {
                    try {
                        if (events == null) {
                            // a commit from now on nudges again; one before this read is seen by it
                            nudges.clear();
                            reading = storage.readEvents(last, false);
                            events = reading.iterator();
                        }
                        if (events.hasNext()) {
                            peeked = events.next();
                            away = 0;
                            return true;
                        }
                        away = 0;
                        closeReading();
                    } catch (RuntimeException storeAway) {
                        storeAway(storeAway);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                long idle = Math.max(retryAtNanos - System.nanoTime(), 0);
                nudges.poll(Math.min(left, Math.max(idle, idlePollNanos)), TimeUnit.NANOSECONDS);
            }
            return true;
        }

        /**
         * The store did not answer (the database away): the stream stays open, reads again from its last event after a
         * pause that grows to {@value #MAX_RETRY_MS} ms, and has nothing available meanwhile. It does not hand the
         * failure to the processor: Axon 4.13's pooled processor, when its event stream fails while its work packages
         * are processing a batch that fails too, can be left waiting for a work package's abort that never completes,
         * and then never coordinates again (DatabaseOutageTest caught the read models and the Kafka publisher stopped
         * for good after a 30 s outage, with every processor thread idle). The work packages' own failures still
         * reach Axon, which releases their segments and claims them again, as it does whatever the source.
         */
        private void storeAway(RuntimeException failure) {
            try {
                closeReading();
            } catch (RuntimeException closing) {
                reading = null;
                events = null;
            }
            boolean first = away == 0;
            away = first ? 100 : Math.min(away * 2, MAX_RETRY_MS);
            retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(away);
            if (first) {
                LOG.warn("The event store did not answer a processor's read ({}); reading again from the last event"
                        + " after a pause growing to {} ms, until it answers", failure.toString(), MAX_RETRY_MS);
            }
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            while (!hasNextAvailable(Integer.MAX_VALUE, TimeUnit.MILLISECONDS)) {
                Thread.onSpinWait();
            }
            TrackedEventMessage<?> next = peeked;
            peeked = null;
            last = next.trackingToken();
            return next;
        }

        /** The token of the last event handed out (where a new read starts). */
        TrackingToken lastToken() {
            return last;
        }

        private void closeReading() {
            if (reading != null) {
                reading.close();
            }
            reading = null;
            events = null;
        }

        @Override
        public void close() {
            closeReading();
            onClose.accept(this);
        }
    }
}
