package org.sibledger.api.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.serialization.Revision;
import org.sibledger.contracts.stream.EventTypes;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.stream.LedgerEventEnvelope;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes every ledger event to {@code sib.ledger.events.v1}, keyed by bond id, from its own streaming processor
 * whose token lives in PostgreSQL. Each send waits for the broker's acknowledgement (acks=all, idempotent producer)
 * before the token moves on, so when the broker is away the processor stops and retries from the first event not
 * yet acknowledged: nothing is lost and the per-bond order holds. A crash between acknowledgement and token update
 * can publish an event again; consumers de-duplicate by eventId.
 */
@Component
@ProcessingGroup(LedgerEventPublisher.PROCESSING_GROUP)
public class LedgerEventPublisher {

    public static final String PROCESSING_GROUP = "kafka-publisher";
    private static final String PENDING = LedgerEventPublisher.class.getName() + ".pending";

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final ProducerFactory<String, String> producers;
    private final Timer publishLag;
    private final long sendTimeoutMs;
    /** The producer of the ledger stream; closed and dropped at its first failed send (see {@link #fence}). */
    private final AtomicReference<Producer<String, String>> producer = new AtomicReference<>();

    /** {@code producers} gives the configuration (Spring Boot's spring.kafka.producer.*), not the producer. */
    public LedgerEventPublisher(ProducerFactory<String, String> producers, KafkaSettings settings, MeterRegistry meters) {
        this.producers = producers;
        this.publishLag = Timer.builder("sib.kafka.publish.lag")
                .description("From an event's commit to the broker's acknowledgement of its envelope")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.sendTimeoutMs = settings.sendTimeout().toMillis();
    }

    @EventHandler
    void publish(Object payload, EventMessage<?> message) throws JsonProcessingException {
        if (!(message instanceof DomainEventMessage<?> event)) {
            return; // only bond events are ledger events
        }
        LedgerEventEnvelope envelope = envelope(payload, event);
        Producer<String, String> sender = producer();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        sender.send(new ProducerRecord<>(LedgerEventEnvelope.TOPIC, envelope.bondId(), JSON.writeValueAsString(envelope)),
                (metadata, failure) -> {
                    if (failure != null) {
                        fence(sender);
                        sent.completeExceptionally(failure);
                    } else {
                        publishLag.record(Duration.between(event.getTimestamp(), Instant.now()));
                        sent.complete(null);
                    }
                });
        pendingInThisBatch().add(sent);
    }

    private Producer<String, String> producer() {
        return producer.updateAndGet(current -> current != null ? current : newProducer());
    }

    /**
     * A producer of the ledger stream's own (the factory's shared one ignores close()), which never gives up on a
     * record: a send the broker has not taken yet waits, in order, however long the broker is away. A producer that
     * lets a record expire would send the records behind it and put them on the topic ahead of it; the batch whose
     * acknowledgements are late rolls back and is sent again after them instead, which only repeats events.
     */
    private Producer<String, String> newProducer() {
        Map<String, Object> config = new HashMap<>(producers.getConfigurationProperties());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * A send that failed (never for time: the producer does not expire records; for a refusal by the broker) ends its
     * producer, and the next batch gets a new one: a producer whose record failed is not trusted to keep order.
     */
    private void fence(Producer<String, String> failed) {
        if (producer.compareAndSet(failed, null)) {
            failed.close(Duration.ZERO);
        }
    }

    @jakarta.annotation.PreDestroy
    void close() {
        Producer<String, String> last = producer.getAndSet(null);
        if (last != null) {
            last.close(Duration.ofSeconds(10));
        }
    }

    /**
     * The sends of the processor's current batch, all acknowledged before its token is stored: the producer keeps
     * them in order per bond (idempotent, acks=all), and a batch with any send not acknowledged rolls back and is
     * sent again whole, so nothing is lost and a consumer at most sees an event twice (it de-duplicates by eventId).
     */
    private List<CompletableFuture<?>> pendingInThisBatch() {
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        return batch.getOrComputeResource(PENDING, key -> {
            List<CompletableFuture<?>> pending = new ArrayList<>();
            batch.onPrepareCommit(u -> awaitAll(pending));
            return pending;
        });
    }

    private void awaitAll(List<CompletableFuture<?>> pending) {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(sendTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker acknowledged a batch of ledger events", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge every ledger event of the batch", e);
        }
    }

    static LedgerEventEnvelope envelope(Object payload, DomainEventMessage<?> event) {
        Object occurredAt = event.getMetaData().get(AuditMetadata.OCCURRED_AT);
        Revision revision = payload.getClass().getAnnotation(Revision.class);
        return new LedgerEventEnvelope(
                event.getIdentifier(),
                EventTypes.name(payload.getClass()),
                revision == null ? null : revision.value(),
                event.getAggregateIdentifier(),
                event.getSequenceNumber(),
                occurredAt == null ? event.getTimestamp() : Instant.parse(occurredAt.toString()),
                stringOrNull(event.getMetaData().get(AuditMetadata.ACTOR)),
                stringOrNull(event.getMetaData().get(AuditMetadata.ON_BEHALF_OF)),
                JSON.valueToTree(payload),
                stringOrNull(event.getMetaData().get(AuditMetadata.HASH)),
                stringOrNull(event.getMetaData().get(AuditMetadata.PREVIOUS_HASH)),
                event.getPayloadType().getName(),
                stringOrNull(event.getMetaData().get(AuditMetadata.IDEMPOTENCY_KEY)));
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : value.toString();
    }
}
