package org.sibledger.api.projection;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The read models, their processor (every streaming processor but the Kafka publisher, which is an outbound stream and
 * must never be replayed by an operator), where it stands against the head of the event store, and their replay.
 * <p>
 * All seven read models are processing groups of one processor, {@value #PROCESSOR}: each event is read, deserialized
 * and committed once for all of them, in one transaction with the processor's token. Each group keeps its own
 * dead-letter queue, so an event one read model cannot handle does not hold up the others. A replay therefore
 * rebuilds every read model of the processor together.
 */
@Component
public class ReadModels {

    /** The processor every read model is handled by. */
    public static final String PROCESSOR = "read-models";

    /** The read models, by processing group. */
    public static final List<String> NAMES = List.of(
            org.sibledger.projections.bond.BondProjection.PROCESSING_GROUP,
            org.sibledger.projections.history.HistoryProjection.PROCESSING_GROUP,
            org.sibledger.projections.liabilities.LiabilityProjection.PROCESSING_GROUP,
            org.sibledger.projections.measurements.MeasurementProjection.PROCESSING_GROUP,
            org.sibledger.projections.payouts.PayoutProjection.PROCESSING_GROUP,
            org.sibledger.projections.performance.PerformanceProjection.PROCESSING_GROUP,
            org.sibledger.projections.portfolio.PortfolioProjection.PROCESSING_GROUP);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReadModels.class);

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final Serializer serializer;
    private final DeadLetters deadLetters;
    private final BondProgress progress;
    private final ObjectProvider<ReadModelGuard> guard;

    public ReadModels(EventProcessingConfiguration processing, JdbcTemplate jdbc, Serializer serializer,
                      DeadLetters deadLetters, BondProgress progress, ObjectProvider<ReadModelGuard> guard) {
        this.guard = guard;
        this.processing = processing;
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.deadLetters = deadLetters;
        this.progress = progress;
    }

    /**
     * The read model whose event handler this is (its processing group), or null when it is not a read model's event
     * handler: what the handler enhancers that change how read models write ({@link ReadModelGuard}, the peer's plain
     * writes) wrap, and all they leave alone otherwise.
     */
    public static String readModelOf(org.axonframework.messaging.annotation.MessageHandlingMember<?> handler) {
        Class<?> declaring = handler.declaringClass();
        org.axonframework.config.ProcessingGroup group = declaring == null ? null
                : declaring.getAnnotation(org.axonframework.config.ProcessingGroup.class);
        return group != null && NAMES.contains(group.value())
                && handler.canHandleMessageType(org.axonframework.eventhandling.EventMessage.class) ? group.value() : null;
    }

    /** The read models' names (their processing groups), in name order. */
    public List<String> names() {
        return NAMES;
    }

    /** The name of the processor that handles a read model. */
    public String processorName(String readModel) {
        return processing.eventProcessorByProcessingGroup(readModel)
                .map(org.axonframework.eventhandling.EventProcessor::getName)
                .orElseThrow(() -> new IllegalArgumentException(readModel));
    }

    /** The read models' processors by processor name, in name order. */
    public Map<String, StreamingEventProcessor> processors() {
        Map<String, StreamingEventProcessor> processors = streamingProcessors();
        processors.remove(LedgerEventPublisher.PROCESSING_GROUP);
        return processors;
    }

    /** Every streaming processor of this node by name, in name order: the read models' and the Kafka publisher. */
    public Map<String, StreamingEventProcessor> streamingProcessors() {
        Map<String, StreamingEventProcessor> processors = new java.util.TreeMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
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
     * Each processor's segment tokens as stored in the token store: what its read model has committed, whichever node
     * owns the segment. A token is stored in the same transaction as the rows it covers.
     */
    public Map<String, List<TrackingToken>> storedTokens() {
        Map<String, List<TrackingToken>> tokens = new java.util.TreeMap<>();
        storedSegments().forEach((name, segments) -> tokens.put(name, new java.util.ArrayList<>(segments.values())));
        return tokens;
    }

    /** Stored tokens by processor and segment id. */
    public Map<String, java.util.SortedMap<Integer, TrackingToken>> storedSegments() {
        Map<String, java.util.SortedMap<Integer, TrackingToken>> tokens = new java.util.TreeMap<>();
        jdbc.query("SELECT processorname, segment, token, tokentype FROM tokenentry", rs -> {
            byte[] bytes = rs.getBytes("token");
            String type = rs.getString("tokentype");
            TrackingToken token = bytes == null || type == null ? null
                    : serializer.deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
            tokens.computeIfAbsent(rs.getString("processorname"), k -> new java.util.TreeMap<>())
                    .put(rs.getInt("segment"), token);
        });
        return tokens;
    }

    /**
     * The lowest position over a processor's stored segment tokens, or empty while any segment has no token yet or
     * is replaying. A replay token whose current position has reached the position of the reset is done: Axon only
     * unwraps it when the next new event arrives.
     */
    public static OptionalLong position(List<TrackingToken> segments) {
        if (segments == null || segments.isEmpty()) {
            return OptionalLong.empty();
        }
        long lowest = Long.MAX_VALUE;
        for (TrackingToken token : segments) {
            TrackingToken current = settled(token);
            if (current == null || current.position().isEmpty()) {
                return OptionalLong.empty();
            }
            lowest = Math.min(lowest, current.position().getAsLong());
        }
        return OptionalLong.of(lowest);
    }

    /** The token's position once not replaying any more; null while it is (or when there is none). */
    private static TrackingToken settled(TrackingToken token) {
        if (token instanceof ReplayToken replay) {
            TrackingToken current = replay.getCurrentToken();
            return current != null && replay.getTokenAtReset() != null && current.covers(replay.getTokenAtReset())
                    ? current : null;
        }
        return token;
    }

    /** Whether a segment has processed the event at global index {@code index}: passed it, and not left it as a gap. */
    static boolean covers(TrackingToken token, long index) {
        TrackingToken current = settled(token);
        if (current == null || current.position().isEmpty() || current.position().getAsLong() < index) {
            return false;
        }
        return !(current instanceof GapAwareTrackingToken gaps && gaps.getGaps().contains(index));
    }

    private static boolean covers(List<TrackingToken> segments, long index) {
        return segments != null && !segments.isEmpty() && segments.stream().allMatch(t -> covers(t, index));
    }

    /** Whether segments have processed every event up to the head ({@code -1}: the store is empty). */
    public static boolean caughtUp(List<TrackingToken> segments, long head) {
        return head < 0 || (position(segments).isPresent() && covers(segments, head));
    }

    /**
     * A processor's tokens by segment: as stored ({@link #storedSegments}), or as held here where a segment claimed
     * here is ahead of its stored token (it had nothing to commit).
     */
    public static java.util.SortedMap<Integer, TrackingToken> segments(
            String name, StreamingEventProcessor processor, Map<String, java.util.SortedMap<Integer, TrackingToken>> stored) {
        java.util.SortedMap<Integer, TrackingToken> segments = new java.util.TreeMap<>(stored.getOrDefault(name, new java.util.TreeMap<>()));
        processor.processingStatus().forEach((segment, tracker) -> {
            OptionalLong here = position(java.util.Arrays.asList(tracker.getTrackingToken()));
            OptionalLong there = position(java.util.Arrays.asList(segments.get(segment)));
            if (here.isPresent() && (there.isEmpty() || here.getAsLong() >= there.getAsLong())) {
                segments.put(segment, tracker.getTrackingToken());
            }
        });
        return segments;
    }

    private static boolean replaying(List<TrackingToken> segments) {
        return segments != null && segments.stream().anyMatch(t -> t instanceof ReplayToken && settled(t) == null);
    }

    /**
     * Each read model with its processor's stored position, whether it has caught up with the head, and its state
     * (the read models of one processor share these).
     */
    public Map<String, Map<String, Object>> status() {
        long head = head();
        Map<String, java.util.SortedMap<Integer, TrackingToken>> stored = storedSegments();
        Map<String, Map<String, Object>> byProcessor = new LinkedHashMap<>();
        processors().forEach((name, processor) -> {
            List<TrackingToken> tokens = new java.util.ArrayList<>(segments(name, processor, stored).values());
            OptionalLong position = position(tokens);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("running", processor.isRunning());
            one.put("replaying", replaying(tokens));
            one.put("segments", tokens == null ? 0 : tokens.size());
            one.put("segmentsHere", processor.processingStatus().size());
            one.put("position", position.isPresent() ? position.getAsLong() : null);
            one.put("head", head);
            one.put("caughtUp", caughtUp(tokens, head));
            one.put("error", processor.isError());
            Map<String, Object> shown = new java.util.TreeMap<>();
            if (tokens != null) {
                for (int i = 0; i < tokens.size(); i++) {
                    shown.put(String.valueOf(i), String.valueOf(tokens.get(i)));
                }
            }
            one.put("tokens", shown);
            byProcessor.put(name, one);
        });
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        Map<String, Long> letters = deadLetters.counts();
        List<ReadModelGuard.Retrying> retrying = guard.stream()
                .flatMap(g -> g.retrying(java.time.Duration.ZERO).stream()).toList();
        for (String readModel : names()) {
            String processor = processorName(readModel);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("processor", processor);
            one.putAll(byProcessor.getOrDefault(processor, Map.of()));
            // a bond whose event this read model could not process waits behind it, while the others go on
            long count = letters.getOrDefault(readModel, 0L);
            one.put("deadLetters", count);
            one.put("stuck", count == 0 ? List.of()
                    : deadLetters.list(readModel, null, 20).stream().map(DeadLetters.Letter::asMap).toList());
            // an event that keeps failing for a reason taken as the database's is retried, its segment waiting behind it
            one.put("retrying", retrying.stream().filter(r -> r.readModel().equals(readModel)).limit(20)
                    .map(ReadModelGuard.Retrying::asMap).toList());
            all.put(readModel, one);
        }
        return all;
    }

    /** The sequence number of the bond's newest event, or -1 when it has none. */
    public long lastSequence(String bondId) {
        List<Long> last = jdbc.queryForList("""
                SELECT sequencenumber FROM domainevententry WHERE aggregateidentifier = ?
                ORDER BY sequencenumber DESC LIMIT 1""", Long.class, bondId);
        return last.isEmpty() ? -1 : last.get(0);
    }

    /** What a wait for the read models found: whether they reached the bond's events, and which are behind for it. */
    public record Arrival(boolean reached, java.util.SortedSet<String> behind, long position) {
    }

    /**
     * Waits, at most {@code timeout}, until the read models have processed the bond's events after sequence
     * {@code after} that they handle, so that a client reading right after its command sees it: on the bond's own
     * progress row ({@link BondProgress}), written with the read models' rows, whichever node processes the bond.
     * Then names the read models behind for that bond: those holding one of its events in their dead-letter queue
     * (all of them when the wait timed out). A bond with dead letters does not hold the answer up: the processor goes on
     * past its events, putting them behind the letter.
     */
    public Arrival awaitBond(String bondId, long after, java.time.Duration timeout) {
        List<Object[]> written = storedEvents("""
                SELECT sequencenumber, payloadtype FROM domainevententry WHERE aggregateidentifier = ?
                AND sequencenumber > ? ORDER BY sequencenumber""", bondId, after);
        long position = written.isEmpty() ? after : (Long) written.get(written.size() - 1)[0];
        if (!processors().containsKey(PROCESSOR)) {
            return awaitTokens(bondId, written.isEmpty() ? -1 : position, timeout, position);
        }
        long needed = newestHandled(written);
        if (needed >= 0 && !progress.await(bondId, needed, timeout)) {
            LOG.warn("Read models have not reached sequence {} of bond '{}' within {} (they have {})", needed, bondId,
                    timeout, progress.processed(bondId));
            return new Arrival(false, new java.util.TreeSet<>(NAMES), position);
        }
        return new Arrival(true, deadLetters.readModelsBehind(bondId), position);
    }

    /**
     * Waits, at most {@code timeout}, until the read models have passed the bond's {@code position} (a command's
     * answer gave it): until they have processed the newest of the bond's events up to that position that they handle.
     * A bond without events is not waited for. Names the read models behind for the bond as {@link #awaitBond} does.
     */
    public Arrival awaitPosition(String bondId, long position, java.time.Duration timeout) {
        List<Object[]> stored = storedEvents("""
                SELECT sequencenumber, payloadtype FROM domainevententry WHERE aggregateidentifier = ?
                AND sequencenumber <= ? ORDER BY sequencenumber DESC LIMIT 100""", bondId, position);
        if (!processors().containsKey(PROCESSOR)) {
            return awaitTokens(bondId, stored.isEmpty() ? -1 : (Long) stored.get(0)[0], timeout, position);
        }
        long needed = newestHandled(stored);
        if (needed >= 0 && !progress.await(bondId, needed, timeout)) {
            return new Arrival(false, new java.util.TreeSet<>(NAMES), progress.processed(bondId));
        }
        return new Arrival(true, stored.isEmpty() ? new java.util.TreeSet<>() : deadLetters.readModelsBehind(bondId),
                progress.processed(bondId));
    }

    /**
     * The wait of the benchmarks' peer ({@code sib.axon-setup=peer}), whose read models are a tracking processor each,
     * without the per-bond progress row: until every read model's processor, as this node runs it, has passed the
     * global index of the bond's event at {@code sequence} (-1: none), looked at every 2 ms. Axon's own answer to the
     * question (its tokens, in memory); right for one node, which is all the benchmarks run.
     */
    private Arrival awaitTokens(String bondId, long sequence, java.time.Duration timeout, long position) {
        List<Long> index = sequence < 0 ? List.of() : jdbc.queryForList(
                "SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = ?",
                Long.class, bondId, sequence);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!index.isEmpty() && !processors().values().stream().allMatch(processor -> covers(
                processor.processingStatus().values().stream()
                        .map(org.axonframework.eventhandling.EventTrackerStatus::getTrackingToken).toList(),
                index.get(0)))) {
            if (System.nanoTime() - deadline > 0) {
                return new Arrival(false, new java.util.TreeSet<>(NAMES), position);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        return new Arrival(true, deadLetters.readModelsBehind(bondId), position);
    }

    /** The bond's stored events a query selects, each as its sequence number and payload type. */
    private List<Object[]> storedEvents(String sql, String bondId, long sequence) {
        return jdbc.query(sql, (rs, i) -> new Object[]{rs.getLong(1), rs.getString(2)}, bondId, sequence);
    }

    /** The newest sequence number among these events that the read models handle, or -1 if they handle none. */
    private long newestHandled(List<Object[]> events) {
        StreamingEventProcessor processor = processors().get(PROCESSOR);
        long needed = -1;
        for (Object[] event : events) {
            if (processor == null || handles(processor, (String) event[1])) {
                needed = Math.max(needed, (Long) event[0]);
            }
        }
        return needed;
    }

    private final Map<String, Class<?>> payloadTypes = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the processor has a handler for events of this stored payload type (unknown types count as handled). */
    private boolean handles(StreamingEventProcessor processor, String payloadType) {
        if (!(processor instanceof org.axonframework.eventhandling.AbstractEventProcessor withInvoker)) {
            return true;
        }
        Class<?> type = payloadTypes.computeIfAbsent(payloadType, name -> {
            try {
                return Class.forName(name, false, ReadModels.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return Object.class;
            }
        });
        return type == Object.class || withInvoker.eventHandlerInvoker().canHandleType(type);
    }

    /**
     * Rebuilds read models from the first event: each processor handling one of them stops, its tokens go back to the
     * tail (which runs the reset handlers of all its read models, emptying their tables, in the same step) and it
     * starts again. Returns every read model rebuilt, which includes the others of the same processor.
     */
    public List<String> replay(java.util.Collection<String> readModels) {
        java.util.Set<String> processorNames = new java.util.LinkedHashSet<>();
        for (String readModel : readModels) {
            if (!NAMES.contains(readModel)) {
                throw new IllegalArgumentException(readModel);
            }
            processorNames.add(processorName(readModel));
        }
        Map<String, StreamingEventProcessor> processors = processors();
        for (String name : processorNames) {
            StreamingEventProcessor processor = processors.get(name);
            processor.shutDown();
            // the dead letters go with the rows: the rebuild handles their events again, and letters them again if
            // they still fail
            deadLetters.clearForReplay();
            progress.clear();
            processor.resetTokens();
            processor.start();
        }
        return names().stream().filter(readModel -> processorNames.contains(processorName(readModel))).toList();
    }
}
