package org.sibledger.projections.support;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.sibledger.projections.common.BatchedWrites;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives one projection as the ledger's event processor does: a batch of events is one {@link BatchingUnitOfWork} in
 * one database transaction, each event handed to the projection's annotated handlers in turn, and the batch's
 * {@link BatchedWrites} sent when it prepares to commit, in that transaction. A batch the ledger rolls back (a read
 * model failed in it, see the ledger's ReadModelGuard) is handled again {@linkplain #deliverEventByEvent event by
 * event}; a reset is Axon's reset of the processor.
 */
public final class ProjectionProcessor {

    private final AnnotationEventHandlerAdapter handlers;
    private final ReadModelDatabase database;
    private final SpringTransactionManager transactions;
    /** The rows as the failing batch's transaction saw them when it was about to commit. */
    private Map<String, List<String>> sentBeforeRollback;

    public ProjectionProcessor(Object projection, ReadModelDatabase database) {
        this.handlers = new AnnotationEventHandlerAdapter(projection);
        this.database = database;
        this.transactions = new SpringTransactionManager(database.transactions());
    }

    /** Handles the events as one batch, which commits. */
    public void deliver(List<? extends EventMessage<?>> batch) {
        ResultMessage<?> result = run(batch, false, false);
        if (result.isExceptional()) {
            throw new AssertionError("the batch failed", result.exceptionResult());
        }
    }

    public void deliver(EventMessage<?>... batch) {
        deliver(List.of(batch));
    }

    /** Handles the events in batches of {@code size}, each committed before the next. */
    public void deliverInBatches(List<? extends EventMessage<?>> events, int size) {
        for (int from = 0; from < events.size(); from += size) {
            deliver(events.subList(from, Math.min(events.size(), from + size)));
        }
    }

    /**
     * Handles the events as one batch whose commit fails after the projection's batched writes were sent (as when
     * another read model failed in the same batch): the transaction is rolled back. Asserts that the batch's writes
     * had reached the database in that transaction, and that none is left.
     */
    public void deliverAndRollBack(List<? extends EventMessage<?>> batch) {
        Map<String, List<String>> before = database.rows();
        sentBeforeRollback = null;
        ResultMessage<?> result = run(batch, true, false);
        assertThat(result.isExceptional()).as("the batch was rolled back").isTrue();
        assertThat(sentBeforeRollback).as("the batch's writes, sent within its transaction before the rollback")
                .isNotNull().isNotEqualTo(before);
        assertThat(database.rows()).as("the rows after the rollback").isEqualTo(before);
    }

    /** Handles the events as one batch, each event's writes executed within its handler's call, as a retried batch is. */
    public void deliverEventByEvent(List<? extends EventMessage<?>> batch) {
        ResultMessage<?> result = run(batch, false, true);
        if (result.isExceptional()) {
            throw new AssertionError("the batch failed", result.exceptionResult());
        }
    }

    /** Axon's reset of the processor: the projection's reset handler, in a transaction. */
    public void reset() {
        new TransactionTemplate(database.transactions()).executeWithoutResult(status -> {
            try {
                handlers.prepareReset();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private ResultMessage<?> run(List<? extends EventMessage<?>> batch, boolean failAtCommit, boolean eventByEvent) {
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(new ArrayList<>(batch));
        unitOfWork.attachTransaction(transactions);
        return unitOfWork.executeWithResult(() -> {
            EventMessage<?> event = unitOfWork.getMessage();
            Object result = eventByEvent ? BatchedWrites.eventByEvent(() -> handle(event)) : handle(event);
            if (failAtCommit && unitOfWork.isLastMessage()) {
                // registered after every handler's, so it runs once the batched writes have been sent
                unitOfWork.onPrepareCommit(u -> {
                    sentBeforeRollback = database.rows();
                    throw new IllegalStateException("another read model failed in this batch");
                });
            }
            return result;
        }, RollbackConfigurationType.ANY_THROWABLE);
    }

    private Object handle(EventMessage<?> event) throws Exception {
        return handlers.canHandle(event) ? handlers.handle(event) : null;
    }
}
