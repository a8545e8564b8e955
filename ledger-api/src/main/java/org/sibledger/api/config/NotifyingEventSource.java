package org.sibledger.api.config;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
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
 * waited up to half a second. Each stream opened here is drained by a thread of its own that blocks on the store's
 * stream (which the store wakes at each local commit and polls for other nodes' commits) and calls the processor's
 * callback as soon as an event is buffered. Axon offers no such adapter for its JDBC store (AxonFramework#3832), so
 * it is written here; it changes when events are seen, never which or in what order.
 */
public class NotifyingEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    /** Events read ahead of the processor at most: the pump waits while the processor is that far behind. */
    static final int BUFFER = 1024;

    private static final AtomicInteger STREAMS = new AtomicInteger();

    private final EventStore store;

    public NotifyingEventSource(EventStore store) {
        this.store = store;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        return new PumpedStream(store.openStream(trackingToken));
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
                    if (source.hasNextAvailable(1, TimeUnit.SECONDS)) {
                        TrackedEventMessage<?> event = source.nextAvailable();
                        while (!buffer.offer(event, 100, TimeUnit.MILLISECONDS)) {
                            if (closed) {
                                return;
                            }
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
}
