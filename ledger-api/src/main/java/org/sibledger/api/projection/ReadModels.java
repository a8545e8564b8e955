package org.sibledger.api.projection;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The read models' processors (every streaming processor but the Kafka publisher, which is an outbound stream and
 * must never be replayed by an operator), where each stands against the head of the event store, and their replay.
 */
@Component
public class ReadModels {

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;

    public ReadModels(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        this.processing = processing;
        this.jdbc = jdbc;
    }

    /** The read models' processors by processing group, in name order. */
    public Map<String, StreamingEventProcessor> processors() {
        Map<String, StreamingEventProcessor> processors = new java.util.TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming && !LedgerEventPublisher.PROCESSING_GROUP.equals(name)) {
                processors.put(name, streaming);
            }
        });
        return processors;
    }

    /** The global index of the newest stored event, or -1 when there is none. */
    public long head() {
        Long head = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
        return head == null ? -1 : head;
    }

    /**
     * The lowest position over a processor's segments, or empty while any segment has no token (not claimed on this
     * node, or not started), is still replaying, or is in error. Judged from each segment's token rather than its
     * replay flag, which a pooled processor leaves set on a segment that received no event since the replay.
     */
    public static OptionalLong position(StreamingEventProcessor processor) {
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (!processor.isRunning() || status.isEmpty()) {
            return OptionalLong.empty();
        }
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus segment : status.values()) {
            TrackingToken token = segment.getTrackingToken();
            if (token == null || ReplayToken.isReplay(token) || segment.isErrorState()) {
                return OptionalLong.empty();
            }
            OptionalLong position = token.position();
            if (position.isEmpty()) {
                return OptionalLong.empty();
            }
            lowest = Math.min(lowest, position.getAsLong());
        }
        return OptionalLong.of(lowest);
    }

    private static boolean replaying(StreamingEventProcessor processor) {
        return processor.processingStatus().values().stream()
                .anyMatch(segment -> segment.getTrackingToken() != null && ReplayToken.isReplay(segment.getTrackingToken()));
    }

    /** Each read model's processor with its position, whether it has caught up with {@code head}, and its state. */
    public Map<String, Map<String, Object>> status() {
        long head = head();
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        processors().forEach((name, processor) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            OptionalLong position = position(processor);
            one.put("running", processor.isRunning());
            one.put("replaying", replaying(processor));
            one.put("segments", processor.processingStatus().size());
            one.put("position", position.isPresent() ? position.getAsLong() : null);
            one.put("head", head);
            one.put("caughtUp", position.isPresent() && position.getAsLong() >= head);
            one.put("error", processor.isError());
            Map<String, Object> tokens = new java.util.TreeMap<>();
            processor.processingStatus().forEach((segment, tracker) ->
                    tokens.put(String.valueOf(segment), String.valueOf(tracker.getTrackingToken())
                            + (tracker.isErrorState() ? " error: " + tracker.getError() : "")));
            one.put("tokens", tokens);
            all.put(name, one);
        });
        return all;
    }

    /** True once every read model has processed every event up to {@code index}. */
    public boolean reached(long index) {
        if (index < 0) {
            return true;
        }
        for (StreamingEventProcessor processor : processors().values()) {
            OptionalLong position = position(processor);
            if (position.isEmpty() || position.getAsLong() < index) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits, at most {@code timeout}, until every read model has processed every event stored so far, so that a
     * client reading right after its command sees it. Returns whether they did in time.
     */
    public boolean awaitHead(java.time.Duration timeout) {
        long head = head();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(head)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Rebuilds one read model from the first event: its processor stops, its tokens go back to the tail (which runs
     * the projection's reset handler, emptying its tables, in the same step) and it starts again.
     */
    public void replay(String name) {
        StreamingEventProcessor processor = processors().get(name);
        if (processor == null) {
            throw new IllegalArgumentException(name);
        }
        processor.shutDown();
        processor.resetTokens();
        processor.start();
    }
}
