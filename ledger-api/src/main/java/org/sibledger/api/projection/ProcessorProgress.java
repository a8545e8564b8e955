package org.sibledger.api.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a processor that has stopped moving loud: one that is behind the event store and whose tokens have not moved
 * for {@code sib.processors.stall-alarm-after} (default 2 min) while the database answers.
 * <p>
 * Written because Axon 4.13's pooled processor can stand still for good without saying so: an {@link Error} (not an
 * Exception) thrown in a batch ends its work package's thread while the package stays marked as scheduled, and its
 * coordinator then waits for that package forever, with {@code isError()} false and nothing in the log after the
 * Error (seen with the PostgreSQL driver's assertion under {@code -ea}, see pom.xml). Neither the dead-letter queue
 * nor the retried events of {@link ReadModelGuard} see it, since no handler failed. {@code StalledProcessorTest}
 * freezes a processor exactly so and shows this report.
 * <p>
 * Every {@code sib.processors.watch-interval} (default 5 s) the token of each segment of each streaming processor (as
 * stored, or as held here when ahead) is compared with the head of the event store, segment by segment, since a frozen
 * segment stands still while the processor's other segments move on. Time while the database does not answer does not
 * count (Axon's back-off and {@code ProcessorRecovery} deal with an outage), nor does time while caught up. A
 * stalled processor is reported until its tokens move again:
 * <ul>
 *   <li>in readiness as {@code processorProgress}: DOWN when it is the Kafka publisher (the node cannot publish, see
 *   issue 19's readiness rule), DEGRADED when it is the read models' (every bond is still stored; their views stand
 *   still), naming the processor, since when, its position, the head and which node owns its segments;</li>
 *   <li>in the gauge {@code sib.processor.stalled.seconds{processor}} (0 while it moves), read by the alert rule
 *   {@code SibProcessorStalled} in deploy/prometheus;</li>
 *   <li>in the log, once as an ERROR when the stall is found and once when it moves again.</li>
 * </ul>
 * Liveness is left alone: restarting the node does heal a frozen work package, but an automatic restart of a node
 * that stands still for a reason not its own (a segment held by another node) would loop; the alert asks a person.
 */
@Component("processorProgressHealthIndicator") // shown as "processorProgress"
public class ProcessorProgress implements HealthIndicator {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProcessorProgress.class);

    /** Where one processor stood at the last check, and since when it has stood there while behind. */
    private record Seen(String tokens, Instant since, boolean behind) {
    }

    /** A processor with a segment behind the head whose token has not moved for longer than the alarm's delay. */
    public record Stall(String processor, Instant since, Long position, long head, List<String> owners) {
        Map<String, Object> asMap(Clock clock) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("processor", processor);
            map.put("since", since.toString());
            map.put("seconds", Duration.between(since, clock.instant()).toSeconds());
            map.put("position", position);
            map.put("head", head);
            map.put("owners", owners);
            return map;
        }
    }

    private final ReadModels readModels;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;
    private final Duration alarmAfter;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, Stall> stalled = new ConcurrentHashMap<>();

    public ProcessorProgress(ReadModels readModels, org.springframework.jdbc.core.JdbcTemplate jdbc, MeterRegistry registry,
                             @Value("${sib.processors.stall-alarm-after:2m}") Duration alarmAfter) {
        this.readModels = readModels;
        this.jdbc = jdbc;
        this.alarmAfter = alarmAfter;
        this.clock = Clock.systemUTC();
        for (String processor : List.of(ReadModels.PROCESSOR, LedgerEventPublisher.PROCESSING_GROUP)) {
            Gauge.builder("sib.processor.stalled.seconds", () -> {
                        Stall stall = stalled.get(processor);
                        return stall == null ? 0 : Duration.between(stall.since(), clock.instant()).toSeconds();
                    })
                    .description("How long a processor has stood still behind the event store while the database answers")
                    .baseUnit("seconds").tag("processor", processor).register(registry);
        }
    }

    /** The processors stalled at the last check. */
    public List<Stall> stalled() {
        return new ArrayList<>(stalled.values());
    }

    @Scheduled(fixedDelayString = "${sib.processors.watch-interval:5s}")
    void scheduled() {
        check();
    }

    /** One check of every streaming processor against the head of the event store. */
    public synchronized void check() {
        Instant now = clock.instant();
        long head;
        Map<String, SortedMap<Integer, TrackingToken>> stored;
        Map<String, List<String>> owners = new LinkedHashMap<>();
        try {
            head = readModels.head();
            stored = readModels.storedSegments();
            jdbc.query("SELECT processorname, segment, owner FROM tokenentry ORDER BY processorname, segment",
                    rs -> {
                        owners.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(rs.getInt(2) + "=" + (rs.getString(3) == null ? "unclaimed" : rs.getString(3)));
                    });
        } catch (RuntimeException databaseAway) {
            // an outage is not a stall: the clocks start again once the database answers
            seen.clear();
            return;
        }
        readModels.streamingProcessors().forEach((name, processor) -> watch(name, processor, head, stored, owners, now));
    }

    private void watch(String name, StreamingEventProcessor processor, long head,
                       Map<String, SortedMap<Integer, TrackingToken>> stored, Map<String, List<String>> owners, Instant now) {
        // segment by segment: a frozen segment stands still while the processor's other segments move on
        Instant stalledSince = null;
        Long position = null;
        for (Map.Entry<Integer, TrackingToken> segment : ReadModels.segments(name, processor, stored).entrySet()) {
            String key = name + "#" + segment.getKey();
            TrackingToken token = segment.getValue();
            boolean behind = head >= 0 && !ReadModels.covers(token, head);
            String fingerprint = String.valueOf(token);
            Seen before = seen.get(key);
            Seen current = before != null && before.behind() && behind && before.tokens().equals(fingerprint)
                    ? before : new Seen(fingerprint, now, behind);
            seen.put(key, current);
            if (behind && Duration.between(current.since(), now).compareTo(alarmAfter) >= 0) {
                stalledSince = stalledSince == null || current.since().isBefore(stalledSince) ? current.since() : stalledSince;
                OptionalLong at = ReadModels.position(java.util.Arrays.asList(token));
                if (at.isPresent() && (position == null || at.getAsLong() < position)) {
                    position = at.getAsLong();
                }
            }
        }
        if (stalledSince != null) {
            Stall stall = new Stall(name, stalledSince, position, head, owners.getOrDefault(name, List.of()));
            if (stalled.put(name, stall) == null) {
                LOG.error("Processor '{}' has stood still behind the event store since {} (position {}, head {}, "
                                + "segments {}), with no failure reported; restarting the node that owns its segments "
                                + "resumes it", name, stall.since(), stall.position(), head, stall.owners());
            }
        } else if (stalled.remove(name) != null) {
            LOG.info("Processor '{}' moves again", name);
        }
    }

    @Override
    public Health health() {
        List<Stall> now = stalled();
        if (now.isEmpty()) {
            return Health.up().build();
        }
        boolean publisher = now.stream().anyMatch(s -> s.processor().equals(LedgerEventPublisher.PROCESSING_GROUP));
        Health.Builder health = publisher
                ? Health.down().withDetail("reason", "The Kafka publisher stands still: this node does not publish")
                : Health.status(new Status(ReadModelsHealth.DEGRADED,
                "The read models stand still behind the event store; every bond is still stored"));
        return health.withDetail("stalled", now.stream().map(s -> s.asMap(clock)).toList()).build();
    }
}
