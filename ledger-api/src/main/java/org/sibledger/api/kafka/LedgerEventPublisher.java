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
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final KafkaTemplate<String, String> kafka;
    private final Timer publishLag;
    private final long sendTimeoutMs;

    public LedgerEventPublisher(KafkaTemplate<String, String> kafka, KafkaSettings settings, MeterRegistry meters) {
        this.kafka = kafka;
        this.publishLag = Timer.builder("sib.kafka.publish.lag")
                .description("From an event's commit to the broker's acknowledgement of its envelope")
                .publishPercentiles(0.5, 0.99).register(meters);
        this.sendTimeoutMs = settings.sendTimeout().toMillis();
    }

    @EventHandler
    void publish(Object payload, EventMessage<?> message)
            throws JsonProcessingException, InterruptedException, ExecutionException, TimeoutException {
        if (!(message instanceof DomainEventMessage<?> event)) {
            return; // only bond events are ledger events
        }
        LedgerEventEnvelope envelope = envelope(payload, event);
        kafka.send(LedgerEventEnvelope.TOPIC, envelope.bondId(), JSON.writeValueAsString(envelope))
                .get(sendTimeoutMs, TimeUnit.MILLISECONDS);
        publishLag.record(Duration.between(event.getTimestamp(), Instant.now()));
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
                stringOrNull(event.getMetaData().get(AuditMetadata.PREVIOUS_HASH)));
    }

    private static String stringOrNull(Object value) {
        return value == null ? null : value.toString();
    }
}
