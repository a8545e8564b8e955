package org.sibledger.api.projection;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
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

    public ReadModels(EventProcessingConfiguration processing, JdbcTemplate jdbc, Serializer serializer,
                      DeadLetters deadLetters) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.deadLetters = deadLetters;
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
     * Each processor's segment tokens as stored in the token store: what its read model has committed, whichever node
     * owns the segment. A token is stored in the same transaction as the rows it covers.
     */
    public Map<String, List<TrackingToken>> storedTokens() {
        Map<String, List<TrackingToken>> tokens = new java.util.TreeMap<>();
        storedSegments().forEach((name, segments) -> tokens.put(name, new java.util.ArrayList<>(segments.values())));
        return tokens;
    }

    /** Stored tokens by processor and segment id. */
    private Map<String, java.util.SortedMap<Integer, TrackingToken>> storedSegments() {
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
    private static boolean covers(TrackingToken token, long index) {
        TrackingToken current = settled(token);
        if (current == null || current.position().isEmpty() || current.position().getAsLong() < index) {
            return false;
        }
        return !(current instanceof GapAwareTrackingToken gaps && gaps.getGaps().contains(index));
    }

    private static boolean covers(List<TrackingToken> segments, long index) {
        return segments != null && !segments.isEmpty() && segments.stream().allMatch(t -> covers(t, index));
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
            // a segment claimed here may be ahead of its stored token when it had nothing to commit
            java.util.SortedMap<Integer, TrackingToken> segments = new java.util.TreeMap<>(stored.getOrDefault(name, new java.util.TreeMap<>()));
            processor.processingStatus().forEach((segment, tracker) -> {
                OptionalLong here = position(java.util.Arrays.asList(tracker.getTrackingToken()));
                OptionalLong there = position(java.util.Arrays.asList(segments.get(segment)));
                if (here.isPresent() && (there.isEmpty() || here.getAsLong() >= there.getAsLong())) {
                    segments.put(segment, tracker.getTrackingToken());
                }
            });
            List<TrackingToken> tokens = new java.util.ArrayList<>(segments.values());
            OptionalLong position = position(tokens);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("running", processor.isRunning());
            one.put("replaying", replaying(tokens));
            one.put("segments", tokens == null ? 0 : tokens.size());
            one.put("segmentsHere", processor.processingStatus().size());
            one.put("position", position.isPresent() ? position.getAsLong() : null);
            one.put("head", head);
            one.put("caughtUp", head < 0 || (position.isPresent() && covers(tokens, head)));
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

    /**
     * Waits, at most {@code timeout}, until every read model has processed the bond's events after sequence
     * {@code after} that it handles, so that a client reading right after its command sees it. A read model is judged
     * on the segment that owns the bond (Axon's per-aggregate sequencing hashes the bond id onto a segment): by its
     * live position when that segment is claimed on this node, else by its stored token, which only moves when the
     * segment commits something, hence the check of which events each read model handles. Returns whether they did.
     */
    public boolean awaitBond(String bondId, long after, java.time.Duration timeout) {
        List<Object[]> written = jdbc.query("""
                        SELECT globalindex, payloadtype FROM domainevententry WHERE aggregateidentifier = ?
                        AND sequencenumber > ? ORDER BY sequencenumber""",
                (rs, i) -> new Object[]{rs.getLong(1), rs.getString(2)}, bondId, after);
        if (written.isEmpty()) {
            return true;
        }
        Map<String, StreamingEventProcessor> processors = processors();
        Map<String, Long> needed = new LinkedHashMap<>();
        processors.forEach((name, processor) -> {
            long index = -1;
            for (Object[] event : written) {
                if (handles(processor, (String) event[1])) {
                    index = Math.max(index, (Long) event[0]);
                }
            }
            if (index >= 0) {
                needed.put(name, index);
            }
        });
        // the stored segments give each processor's whole set of segments (a node may hold only some of them); while
        // the owning segment is claimed here, its live token is read from memory and the database is not asked again
        Map<String, java.util.SortedMap<Integer, TrackingToken>> segments = storedSegments();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reached(bondId, needed, processors, segments)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("Read models have not reached {} of bond '{}' within {}: {}", needed, bondId, timeout,
                        storedSegments());
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

    private boolean reached(String bondId, Map<String, Long> needed, Map<String, StreamingEventProcessor> processors,
                            Map<String, java.util.SortedMap<Integer, TrackingToken>> segments) {
        Map<String, java.util.SortedMap<Integer, TrackingToken>> stored = null;
        for (Map.Entry<String, Long> entry : needed.entrySet()) {
            Map<Integer, org.axonframework.eventhandling.EventTrackerStatus> here =
                    processors.get(entry.getKey()).processingStatus();
            java.util.SortedSet<Integer> ids = new java.util.TreeSet<>(here.keySet());
            ids.addAll(segments.getOrDefault(entry.getKey(), java.util.Collections.emptySortedMap()).keySet());
            if (ids.isEmpty()) {
                segments.putAll(storedSegments());
                return false;
            }
            Segment owner = java.util.Arrays.stream(Segment.computeSegments(ids.stream().mapToInt(Integer::intValue).toArray()))
                    .filter(s -> s.matches(bondId)).findFirst().orElse(null);
            if (owner == null) {
                return false;
            }
            org.axonframework.eventhandling.EventTrackerStatus local = here.get(owner.getSegmentId());
            TrackingToken token;
            if (local != null) {
                token = local.getTrackingToken();
            } else {
                if (stored == null) {
                    stored = storedSegments();
                }
                token = stored.getOrDefault(entry.getKey(), java.util.Collections.emptySortedMap()).get(owner.getSegmentId());
            }
            if (!covers(token, entry.getValue())) {
                return false;
            }
        }
        return true;
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
            processor.resetTokens();
            processor.start();
        }
        return names().stream().filter(readModel -> processorNames.contains(processorName(readModel))).toList();
    }
}
