package org.sibledger.api.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.sibledger.api.kafka.KafkaSettings;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.integrity.Checkpoint;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signs a checkpoint of each bond's head as the ledger's events leave for Kafka: a handler of the Kafka publisher's
 * processor, so it costs commands nothing and reads no event a second time. Per batch of that processor (up to 200
 * events, one when the ledger is quiet), each bond whose events are in the batch gets one checkpoint of its last event
 * there: stored in the batch's transaction, with the processor's token, and published on the checkpoints topic, whose
 * acknowledgement the batch waits for as it does for the events'. A batch that fails is signed again when it is
 * retried (a head already stored keeps its first checkpoint; the topic may carry both, each validly signed).
 */
@Component
@ProcessingGroup(LedgerEventPublisher.PROCESSING_GROUP)
public class Checkpointer {

    private static final String HEADS = Checkpointer.class.getName() + ".heads";
    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final SigningKey key;
    private final CheckpointStore store;
    private final KafkaTemplate<String, String> kafka;
    private final String topic;
    private final long sendTimeoutMs;
    private final Clock clock = Clock.systemUTC();

    public Checkpointer(SigningKey key, CheckpointStore store, KafkaTemplate<String, String> kafka,
                        CheckpointSettings settings, KafkaSettings kafkaSettings) {
        this.key = key;
        this.store = store;
        this.kafka = kafka;
        this.topic = settings.topic();
        this.sendTimeoutMs = kafkaSettings.sendTimeout().toMillis();
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
        Head head = new Head(event.getSequenceNumber(), hash.toString());
        headsInThisBatch().merge(event.getAggregateIdentifier(), head, (a, b) -> b.sequence() > a.sequence() ? b : a);
    }

    private record Head(long sequence, String hash) {
    }

    private Map<String, Head> headsInThisBatch() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(HEADS, name -> {
            Map<String, Head> heads = new LinkedHashMap<>();
            batch.onPrepareCommit(u -> checkpoint(heads));
            return heads;
        });
    }

    private void checkpoint(Map<String, Head> heads) {
        Instant now = clock.instant();
        List<Checkpoint> signed = new ArrayList<>(heads.size());
        heads.forEach((bond, head) -> signed.add(Checkpoint.sign(bond, head.sequence(), head.hash(), now,
                key.privateKey(), key.publicKey())));
        store.add(signed);
        List<CompletableFuture<?>> sent = new ArrayList<>(signed.size());
        for (Checkpoint checkpoint : signed) {
            try {
                sent.add(kafka.send(topic, checkpoint.bondId(), JSON.writeValueAsString(checkpoint)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the checkpoint of " + checkpoint.bondId(), e);
            }
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(sendTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker acknowledged the batch's checkpoints", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge every checkpoint of the batch", e);
        }
    }
}
