package org.sibledger.api.config;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Resumes the event processors within about a second of the database coming back, instead of after Axon's back-off.
 * <p>
 * When the database is away, Axon's pooled processor backs off twice over, and neither back-off can be configured in
 * Axon 4.13: its coordinator waits 0.5, 1, 2, ... up to 60 s between attempts after each failure, and a segment whose
 * batch failed is not claimed again for 1, 2, 4, ... up to 60 s. After an outage of 30 s the read models and the Kafka
 * publisher could thus stand still for another minute with the database up (a CI run of {@code DatabaseOutageTest}
 * caught exactly that: 10 s after the outage the read models were still in back-off).
 * <p>
 * Every {@code sib.processor-recovery.interval} (default 1s) this reads the token store, which is also the check
 * that the database answers. For {@value #WINDOW_SECONDS} s (Axon's longest back-off) after a check that failed is
 * followed by one that succeeds, every running pooled processor that was in its error back-off at two successful
 * checks in a row, or has a segment nobody claimed at two successful checks in a row, has this node's release
 * deadlines of its segments cleared and its coordinator woken ({@code releaseSegment} with a deadline in the past:
 * that never aborts work, it only allows a claim now). Two checks, because a processor whose coordinator has just
 * failed is in error before Axon has installed the task that will retry it, and a wake in that moment would reach
 * the old task. So:
 * <ul>
 *   <li>nothing is tried while the database is away, so not more often than Axon would;</li>
 *   <li>outside that minute Axon's back-off applies as it is, so a handler that keeps failing for another reason does
 *   not flood the log (within it, a segment such a handler left is retried every few seconds);</li>
 *   <li>nothing happens in the steady state, when every segment is owned. A segment released to balance claims
 *   between nodes stays unclaimed for less than two checks when the other node takes it; if neither does, this node
 *   may, within its share.</li>
 * </ul>
 */
@Component
public class ProcessorRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorRecovery.class);

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private static final long WINDOW_SECONDS = 60;

    private final Set<String> unclaimedBefore = new HashSet<>();
    private final Set<String> inErrorBefore = new HashSet<>();
    private boolean databaseAway;
    private long recoverUntilNanos = System.nanoTime();

    public ProcessorRecovery(EventProcessingConfiguration processing, JdbcTemplate jdbc) {
        this.processing = processing;
        this.jdbc = jdbc;
    }

    /**
     * One check: soon after the database came back, wakes the processors that wait in a back-off or leave a segment
     * unclaimed.
     *
     * @return the names of the processors woken
     */
    public synchronized Set<String> check() {
        Map<String, Set<Integer>> segments = new HashMap<>();
        Set<String> unclaimed = new HashSet<>();
        try {
            jdbc.query("SELECT processorname, segment, owner FROM tokenentry", rs -> {
                String name = rs.getString("processorname");
                int segment = rs.getInt("segment");
                segments.computeIfAbsent(name, k -> new TreeSet<>()).add(segment);
                if (rs.getString("owner") == null) {
                    unclaimed.add(name + "#" + segment);
                }
            });
        } catch (RuntimeException away) {
            LOG.debug("Processor recovery check skipped, the token store did not answer: {}", away.toString());
            databaseAway = true;
            unclaimedBefore.clear();
            inErrorBefore.clear();
            return Set.of();
        }
        if (databaseAway) {
            databaseAway = false;
            recoverUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
        }
        boolean recovering = System.nanoTime() - recoverUntilNanos < 0;
        Set<String> woken = new TreeSet<>();
        Set<String> inError = new HashSet<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (!(processor instanceof PooledStreamingEventProcessor pooled) || !pooled.isRunning()) {
                return;
            }
            boolean backingOff = pooled.isError() && inErrorBefore.contains(name);
            if (pooled.isError()) {
                inError.add(name);
            }
            Set<Integer> ids = segments.getOrDefault(name, Set.of());
            boolean leftUnclaimed = ids.stream().anyMatch(id -> unclaimedBefore.contains(name + "#" + id)
                    && unclaimed.contains(name + "#" + id));
            if (!recovering || ids.isEmpty() || !(backingOff || leftUnclaimed)) {
                return;
            }
            LOG.info("Processor [{}] {}: the database answers, so its segments {} may be claimed now",
                    name, backingOff ? "is in its error back-off" : "has a segment nobody claims", ids);
            ids.forEach(id -> pooled.releaseSegment(id, -1, TimeUnit.SECONDS));
            woken.add(name);
        });
        unclaimedBefore.clear();
        unclaimedBefore.addAll(unclaimed);
        inErrorBefore.clear();
        inErrorBefore.addAll(inError);
        return woken;
    }

    /** Spring's scheduler runs it from the context's start to its close (see LedgerApplication and spring.task.scheduling). */
    @Scheduled(initialDelayString = "${sib.processor-recovery.interval:1s}",
            fixedDelayString = "${sib.processor-recovery.interval:1s}")
    void scheduled() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Processor recovery check failed", e);
        }
    }
}
