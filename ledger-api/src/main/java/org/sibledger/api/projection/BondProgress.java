package org.sibledger.api.projection;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far the read models have processed each bond: {@code read_model_progress} holds, per bond, the sequence number of
 * the newest of its events that the read models' processor has processed, written in the same transaction as the read
 * models' rows (at the batch's commit, one upsert per bond of the batch). The seven read models share that processor
 * and its transactions, so one row per bond says it for all of them; a read model that could not process one of the
 * bond's events has it in its dead-letter queue instead, and is behind for that bond while it is there.
 * <p>
 * A command's answer waits on that one indexed row ({@link #await}), on any node: re-read when a batch commits on this
 * node, and every {@code sib.read-your-writes-poll} (default 50 ms) for batches committed on another.
 * Hand-written because Axon has no per-aggregate progress: its tokens give a position per segment, which the wait had to
 * decode (gaps, replays, which segment owns a bond, which events each processor handles).
 */
@Component
public class BondProgress {

    private static final String BATCH = BondProgress.class.getName() + ".batch";

    private final JdbcTemplate jdbc;
    private final long pollNanos;
    private final Object commits = new Object();
    private long committed;

    public BondProgress(JdbcTemplate jdbc, @Value("${sib.read-your-writes-poll:50ms}") Duration poll) {
        this.jdbc = jdbc;
        this.pollNanos = poll.toNanos();
    }

    /**
     * The interceptor that records the progress, for the read models' processor only. Not a bean itself: Axon's Spring
     * Boot configuration registers every {@link MessageHandlerInterceptor} bean on every processor, and the Kafka
     * publisher must neither write these rows (it would say the read models have what only Kafka has, and its batches,
     * which wait for the broker, would hold the rows' locks against the read models').
     */
    public MessageHandlerInterceptor<EventMessage<?>> interceptor() {
        return this::handle;
    }

    private Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        Object result = interceptorChain.proceed();
        if (unitOfWork.getMessage() instanceof DomainEventMessage<?> event) {
            UnitOfWork<?> root = unitOfWork.root();
            Map<String, Long> batch = root.getOrComputeResource(BATCH, k -> {
                Map<String, Long> bonds = new TreeMap<>();
                root.onPrepareCommit(u -> store(bonds));
                root.afterCommit(u -> committed());
                return bonds;
            });
            batch.merge(event.getAggregateIdentifier(), event.getSequenceNumber(), Math::max);
        }
        return result;
    }

    private void store(Map<String, Long> bonds) {
        if (bonds.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>(bonds.size());
        bonds.forEach((bond, sequence) -> rows.add(new Object[]{bond, sequence}));
        jdbc.batchUpdate("""
                INSERT INTO read_model_progress (bond_id, last_sequence) VALUES (?, ?)
                ON CONFLICT (bond_id) DO UPDATE SET last_sequence = GREATEST(read_model_progress.last_sequence,
                    EXCLUDED.last_sequence)""", rows);
    }

    private void committed() {
        synchronized (commits) {
            committed++;
            commits.notifyAll();
        }
    }

    /** The newest sequence of the bond that the read models have processed, or -1. */
    public long processed(String bondId) {
        List<Long> last = jdbc.queryForList("SELECT last_sequence FROM read_model_progress WHERE bond_id = ?",
                Long.class, bondId);
        return last.isEmpty() ? -1 : last.get(0);
    }

    /** Waits, at most {@code timeout}, until the read models have processed the bond up to {@code sequence}. */
    public boolean await(String bondId, long sequence, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen;
            synchronized (commits) {
                seen = committed;
            }
            if (processed(bondId) >= sequence) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (commits) {
                if (committed == seen) {
                    long wait = Math.min(left, pollNanos);
                    try {
                        commits.wait(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        }
    }

    /** Forgets every bond's progress: a replay rebuilds it with the read models. */
    public void clear() {
        jdbc.update("DELETE FROM read_model_progress");
    }
}
