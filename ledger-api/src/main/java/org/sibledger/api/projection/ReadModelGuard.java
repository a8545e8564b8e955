package org.sibledger.api.projection;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.sibledger.projections.common.BatchedWrites;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Makes the read models' dead-letter queues see every failure of an event, including those of the batched writes at
 * the batch's commit. Hand-written because Axon's dead-letter queue only guards the handler's call, while the read
 * models' writes ({@link BatchedWrites}) are sent when the batch of up to 500 events commits (which made replays about
 * three times faster); and because, on PostgreSQL, a statement that fails aborts the whole transaction, so the queue's
 * own insert of the dead letter fails too unless the failed statement is undone to a savepoint first.
 * <p>
 * A batch is handled as before (writes batched at commit) unless it failed before: when any handler of a batch throws,
 * or its commit fails, the batch is rolled back (Axon's pooled processor then handles it again) and its range of
 * positions is remembered. A batch overlapping a remembered range, and every dead letter being retried, is handled
 * event by event: each read model's handler runs in a savepoint with its writes executed at once, so a failure undoes
 * that one event's writes of that one read model, the dead-letter queue records it (and then every later event of the
 * same bond for that read model, Axon's sequencing per aggregate), and the rest of the batch commits. Only the batches
 * around a failure pay for it: the good path, and so a replay, stays batched. A failure of the database itself (lost
 * connection, timeout, deadlock) is never dead-lettered: it fails the batch, which is retried. Such an event is
 * remembered until a batch holding it commits ({@link #retrying}), so that one that keeps failing (and holds up its
 * segment's bonds) is reported by readiness, the admin view and a gauge instead of only in the log.
 * <p>
 * Not in the benchmarks' peer ({@code sib.axon-setup=peer}, {@code PeerConfig}), whose writes are plain JDBC.
 */
@Component
@org.springframework.boot.autoconfigure.condition.ConditionalOnExpression("'${sib.axon-setup:ledger}' != 'peer'")
public class ReadModelGuard implements HandlerEnhancerDefinition {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReadModelGuard.class);
    private static final String DECISION = ReadModelGuard.class.getName() + ".eventByEvent";
    /** Ranges of positions kept: a failure is usually dealt with at the next attempt, so a few suffice. */
    private static final int REMEMBERED = 64;
    /** An event retried that has not failed again for this long is no longer reported. */
    static final long STALE_SECONDS = 180;

    private final ObjectProvider<PlatformTransactionManager> transactions;
    private final Deque<long[]> failedRanges = new ConcurrentLinkedDeque<>();
    /** Events that failed for a reason taken as the database's, by read model and event id, until they commit. */
    private final Map<String, Retrying> retrying = new ConcurrentHashMap<>();
    private volatile TransactionTemplate savepoint;

    public ReadModelGuard(ObjectProvider<PlatformTransactionManager> transactions) {
        this.transactions = transactions;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        String readModel = ReadModels.readModelOf(original);
        if (readModel == null) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(Message<?> message, T target) throws Exception {
                if (!CurrentUnitOfWork.isStarted() || !(message instanceof EventMessage<?>)) {
                    return original.handle(message, target);
                }
                UnitOfWork<?> root = CurrentUnitOfWork.get().root();
                boolean eventByEvent = root.getOrComputeResource(DECISION, k -> decide(root));
                if (eventByEvent) {
                    try {
                        Object result = inSavepoint(() -> BatchedWrites.eventByEvent(() -> original.handle(message, target)));
                        forgetOnCommit(root, readModel, (EventMessage<?>) message);
                        return result;
                    } catch (Exception e) {
                        if (transientFailure(e)) {
                            // the database, not the event: never dead-lettered; the batch is retried as a whole
                            remember(readModel, (EventMessage<?>) message, e);
                            root.onPrepareCommit(u -> {
                                throw new BatchRetriedEventByEvent(e);
                            });
                        }
                        throw e;
                    }
                }
                try {
                    Object result = original.handle(message, target);
                    forgetOnCommit(root, readModel, (EventMessage<?>) message);
                    return result;
                } catch (Exception e) {
                    // the batch's pending writes may hold a part of this event's: it is rolled back (which remembers
                    // its range) and handled again event by event, where this event alone is dead-lettered
                    LOG.warn("Read model '{}' failed on event {} ({}); its batch is handled again event by event: {}",
                            readModel, message.getIdentifier(), message.getPayloadType().getSimpleName(), e.toString());
                    root.onPrepareCommit(u -> {
                        throw new BatchRetriedEventByEvent(e);
                    });
                    throw e;
                }
            }
        };
    }

    /**
     * An event a read model failed on for a reason taken as the database's ({@link #transientFailure}), retried since
     * with its batch (and its segment's other bonds waiting behind it), not yet committed.
     */
    public record Retrying(String readModel, String bondId, Long sequence, String eventType, String eventId,
                           String cause, Instant firstFailure, Instant lastFailure, int failures) {

        public Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("readModel", readModel);
            map.put("bondId", bondId);
            map.put("sequence", sequence);
            map.put("eventType", eventType);
            map.put("eventId", eventId);
            map.put("cause", cause);
            map.put("firstFailure", firstFailure.toString());
            map.put("lastFailure", lastFailure.toString());
            map.put("failures", failures);
            return map;
        }
    }

    /**
     * The events that have kept failing for at least {@code atLeast} and failed again within the last
     * {@value #STALE_SECONDS} s (Axon retries a failed segment at least every 60 s, so an older one was handled
     * elsewhere, or reset by a replay, and is forgotten), oldest first.
     */
    public List<Retrying> retrying(Duration atLeast) {
        Instant now = Instant.now();
        retrying.values().removeIf(r -> r.lastFailure().isBefore(now.minusSeconds(STALE_SECONDS)));
        return retrying.values().stream().filter(r -> !r.firstFailure().isAfter(now.minus(atLeast)))
                .sorted(java.util.Comparator.comparing(Retrying::firstFailure)).toList();
    }

    private void remember(String readModel, EventMessage<?> event, Exception failure) {
        Instant now = Instant.now();
        String bond = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        Long sequence = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null;
        retrying.compute(readModel + "/" + event.getIdentifier(), (key, before) -> new Retrying(readModel, bond, sequence,
                event.getPayloadType().getSimpleName(), event.getIdentifier(), String.valueOf(failure),
                before == null ? now : before.firstFailure(), now, before == null ? 1 : before.failures() + 1));
    }

    private void forgetOnCommit(UnitOfWork<?> root, String readModel, EventMessage<?> event) {
        if (!retrying.isEmpty()) {
            String key = readModel + "/" + event.getIdentifier();
            if (retrying.containsKey(key)) {
                root.afterCommit(u -> retrying.remove(key));
            }
        }
    }

    /**
     * Whether the batch of this root unit of work is handled event by event; also makes its rollback remember its range.
     * A unit of work that is not a batch of the processor (a dead letter being retried) always is.
     */
    private boolean decide(UnitOfWork<?> root) {
        if (!(root instanceof BatchingUnitOfWork<?> batch)) {
            return true;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Message<?> message : batch.getMessages()) {
            if (message instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null
                    && tracked.trackingToken().position().isPresent()) {
                long position = tracked.trackingToken().position().getAsLong();
                first = Math.min(first, position);
                last = Math.max(last, position);
            }
        }
        if (first > last) {
            return true;
        }
        long[] range = {first, last};
        root.onRollback(u -> {
            failedRanges.addFirst(range);
            while (failedRanges.size() > REMEMBERED) {
                failedRanges.pollLast();
            }
        });
        for (long[] failed : failedRanges) {
            if (failed[0] <= last && first <= failed[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a failure is the database's rather than the event's: a lost or refused connection, a timeout, a deadlock
     * or serialization failure, a shutdown (SQLSTATE classes 08, 40, 53, 57, 58, and Spring's transient and resource
     * failures). Such an event would succeed when tried again, so it must not wait in a dead-letter queue for an
     * operator.
     */
    static boolean transientFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.springframework.dao.TransientDataAccessException
                    || t instanceof org.springframework.dao.RecoverableDataAccessException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException
                    || t instanceof java.sql.SQLTransientException
                    || t instanceof java.sql.SQLRecoverableException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && java.util.Set.of("08", "40", "53", "57", "58").contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
        }
        return false;
    }

    private Object inSavepoint(java.util.concurrent.Callable<Object> handler) throws Exception {
        TransactionTemplate template = savepoint;
        if (template == null) {
            template = new TransactionTemplate(transactions.getObject());
            template.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
            savepoint = template;
        }
        try {
            return template.execute(status -> {
                try {
                    return handler.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new Checked(e);
                }
            });
        } catch (Checked e) {
            throw (Exception) e.getCause();
        }
    }

    /** A checked exception of a handler, carried through the savepoint's template. */
    private static final class Checked extends RuntimeException {
        Checked(Exception cause) {
            super(cause);
        }
    }

    /** Rolls back a batch in which a read model failed, so that it is handled again event by event. */
    static final class BatchRetriedEventByEvent extends RuntimeException {
        BatchRetriedEventByEvent(Throwable cause) {
            super("A read model failed in this batch; it is handled again event by event", cause);
        }
    }
}
