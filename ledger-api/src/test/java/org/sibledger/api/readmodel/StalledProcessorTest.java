package org.sibledger.api.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.sibledger.api.projection.ReadModels;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.Waits;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A processor frozen with no failure reported is named. An {@link Error} thrown in a batch of Axon 4.13's pooled
 * processor ends its work package's thread while the package stays scheduled, so the processor stands still for good
 * with {@code isError()} false (this is how the PostgreSQL driver's assertion froze it under {@code -ea}). Here an
 * interceptor throws an AssertionError for one bond's events: readiness then names the stalled processor, DEGRADED
 * (200) for the read models and DOWN (503) for the Kafka publisher, the gauge counts its seconds, liveness stays UP,
 * and commands are still stored.
 * <p>
 * Runs beside the main stream of test classes (junit-platform.properties): its node has a database and a Kafka broker
 * of its own ({@link org.sibledger.api.support.LedgerNodeExtension}), and it asserts nothing of the shared servers.
 */
@Execution(ExecutionMode.CONCURRENT)
class StalledProcessorTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension(
            "--sib.processors.stall-alarm-after=2s", "--sib.processors.watch-interval=200ms");

    @Test
    void aProcessorFrozenByAnErrorIsNamedInReadinessAndTheGaugeWhileCommandsAreStillStored() {
        node.api("arranger").post("/api/bonds", Terms.rateCard("moves")).expect(201);
        Waits.lastAnswer(Duration.ofSeconds(60), Duration.ofMillis(200),
                () -> node.api("admin").get("/actuator/health/readiness"),
                r -> r.json().get("status").asText().equals("UP"));

        AtomicInteger thrown = new AtomicInteger();
        freezeOn(ReadModels.PROCESSOR, "frozen-views", thrown);
        node.api("arranger").post("/api/bonds", Terms.rateCard("frozen-views")).expect(201);
        org.awaitility.Awaitility.await("the interceptor meets the bond's event").atMost(Duration.ofSeconds(30))
                .until(() -> thrown.get() > 0);

        Api.Response degraded = awaitStalled(ReadModels.PROCESSOR);
        assertThat(degraded.status()).as(degraded.body()).isEqualTo(200);
        assertThat(degraded.json().get("status").asText()).isEqualTo("DEGRADED");
        JsonNode progress = degraded.json().at("/components/processorProgress");
        assertThat(progress.get("status").asText()).isEqualTo("DEGRADED");
        JsonNode stall = stalled(degraded, ReadModels.PROCESSOR);
        assertThat(stall.get("head").asLong()).isGreaterThan(stall.get("position").asLong());
        assertThat(stall.get("owners").toString()).contains("=").doesNotContain("unclaimed");
        // no failure was reported by anything else: it is this watch that makes it loud
        assertThat(degraded.json().at("/components/readModels/status").asText()).isEqualTo("UP");
        assertThat(node.api("admin").get("/actuator/health/liveness").json().get("status").asText()).isEqualTo("UP");
        assertThat(node.api("admin").get("/actuator/prometheus").body()).containsPattern(
                "sib_processor_stalled_seconds\\{[^}]*processor=\"read-models\"[^}]*} [1-9]");
        // a command is still stored (its answer does not wait for the frozen read models for long)
        long before = node.bean(ReadModels.class).head();
        node.api("arranger").post("/api/bonds", Terms.rateCard("stored-anyway"));
        assertThat(node.bean(ReadModels.class).lastSequence("stored-anyway")).isZero();
        assertThat(node.bean(ReadModels.class).head()).isGreaterThan(before);

        freezeOn(LedgerEventPublisher.PROCESSING_GROUP, "frozen-stream", thrown);
        node.api("arranger").post("/api/bonds", Terms.rateCard("frozen-stream"));
        Api.Response down = awaitStalled(LedgerEventPublisher.PROCESSING_GROUP);
        assertThat(down.status()).as(down.body()).isEqualTo(503);
        assertThat(down.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(down.json().at("/components/processorProgress/status").asText()).isEqualTo("DOWN");
        assertThat(down.json().at("/components/processorProgress/details/reason").asText()).contains("publish");
        assertThat(stalled(down, ReadModels.PROCESSOR)).as("still named").isNotNull();
        assertThat(node.api("admin").get("/actuator/health/liveness").json().get("status").asText()).isEqualTo("UP");
    }

    /** From now on, the processor's batch holding an event of this bond throws an Error (not an exception). */
    private static void freezeOn(String processorName, String bondId, AtomicInteger thrown) {
        EventProcessor processor = node.node().bean(EventProcessingConfiguration.class)
                .eventProcessor(processorName).orElseThrow();
        processor.registerHandlerInterceptor((MessageHandlerInterceptor<EventMessage<?>>) (unitOfWork, chain) -> {
            if (unitOfWork.getMessage() instanceof DomainEventMessage<?> event
                    && bondId.equals(event.getAggregateIdentifier())) {
                thrown.incrementAndGet();
                throw new AssertionError("test: an Error in a batch, as the driver's assertion threw");
            }
            return chain.proceed();
        });
    }

    private static Api.Response awaitStalled(String processor) {
        return Waits.lastAnswer(Duration.ofSeconds(60), Duration.ofMillis(200),
                () -> node.api("admin").get("/actuator/health/readiness"),
                r -> stalled(r, processor) != null);
    }

    private static JsonNode stalled(Api.Response readiness, String processor) {
        for (JsonNode stall : readiness.json().at("/components/processorProgress/details/stalled")) {
            if (stall.get("processor").asText().equals(processor)) {
                return stall;
            }
        }
        return null;
    }
}
