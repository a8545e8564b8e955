package org.sibledger.api.integrity;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.sibledger.contracts.common.AuditMetadata;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Notes which bonds' heads moved, for {@link CheckpointSigner}: a handler of the Kafka publisher's processor, so it
 * costs commands nothing and reads no event a second time. Per batch of that processor, each bond whose events are in
 * it has its last event there written to the pending heads, in the batch's transaction with the processor's token:
 * a head is never lost to a crash, and is noted once more if the batch is sent again.
 */
@Component
@ProcessingGroup(LedgerEventPublisher.PROCESSING_GROUP)
public class Checkpointer {

    private static final String HEADS = Checkpointer.class.getName() + ".heads";

    private final CheckpointStore store;

    public Checkpointer(CheckpointStore store) {
        this.store = store;
    }

    /** The same parameters as the publisher's handler, so the payload is deserialized once for both. */
    @EventHandler
    void on(Object payload, EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> event)) {
            return;
        }
        Object hash = event.getMetaData().get(AuditMetadata.HASH);
        if (hash == null) {
            return; // not a chained bond event
        }
        CheckpointStore.Head head = new CheckpointStore.Head(event.getSequenceNumber(), hash.toString());
        headsInThisBatch().merge(event.getAggregateIdentifier(), head, (a, b) -> b.sequence() > a.sequence() ? b : a);
    }

    private Map<String, CheckpointStore.Head> headsInThisBatch() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(HEADS, name -> {
            Map<String, CheckpointStore.Head> heads = new LinkedHashMap<>();
            batch.onPrepareCommit(u -> store.markPending(heads));
            return heads;
        });
    }
}
