package org.sibledger.core.bond;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.inspection.AggregateModel;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.core.integrity.HashChain;
import org.sibledger.contracts.common.CommandRefusedException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Drives one bond through a sequence of commands with Axon's aggregate fixture, keeping the recorded events (with
 * their metadata) as the history of the next command, the way the event store would.
 */
final class BondHarness {

    private final String bondId;
    private final List<EventMessage<?>> history = new ArrayList<>();
    private Instant clock = Instant.parse("2019-01-07T09:00:00Z");
    /** Null: each command on the bond rebuilt from the history; else the bond held in memory between commands. */
    private final KeptBond kept;
    private final Duration step;

    BondHarness(BondTerms terms) {
        this(terms, null, Duration.ofDays(1));
    }

    private BondHarness(BondTerms terms, KeptBond kept, Duration step) {
        this.bondId = terms.bondId();
        this.kept = kept;
        this.step = step;
        run("arranger", new StructureBondCommand(terms.bondId(), terms), null);
    }

    /**
     * A bond held in memory between its commands, as the application's bond cache holds it, its commands a day
     * apart: what it records must be what the same commands record on a bond rebuilt for each.
     */
    static BondHarness keptInMemory(BondTerms terms) {
        return keptInMemory(terms, Duration.ofDays(1));
    }

    static BondHarness keptInMemory(BondTerms terms, Duration step) {
        return new BondHarness(terms, new KeptBond(), step);
    }

    /**
     * Given the history so far, when the actor sends the command: the events it recorded, then part of the history.
     * A refusal is asserted as one with the fixture (an exception and no event) and thrown on, for a test that
     * expects it ({@link #refuses}) or tolerates it (a random history).
     */
    List<EventMessage<?>> run(String actor, Object command) {
        return run(actor, command, null);
    }

    List<EventMessage<?>> run(String actor, Object command, String idempotencyKey) {
        clock = clock.plus(step);
        MetaData meta = MetaData.with(AuditMetadata.ACTOR, actor).and(AuditMetadata.OCCURRED_AT, clock.toString());
        if (idempotencyKey != null) {
            meta = meta.and(AuditMetadata.IDEMPOTENCY_KEY, idempotencyKey);
        }
        if (kept != null) {
            List<EventMessage<?>> recorded = new ArrayList<>(kept.send(command, meta));
            history.addAll(recorded);
            return recorded;
        }
        AggregateTestFixture<Bond> fixture = new AggregateTestFixture<>(Bond.class);
        AtomicReference<CommandRefusedException> refusal = new AtomicReference<>();
        fixture.registerCommandHandlerInterceptor((unitOfWork, chain) -> {
            try {
                return chain.proceed();
            } catch (CommandRefusedException refused) {
                refusal.set(refused);
                throw refused;
            }
        });
        var then = history.isEmpty() ? fixture.givenNoPriorActivity().when(command, meta)
                : fixture.given(List.copyOf(history)).when(command, meta);
        if (refusal.get() != null) {
            then.expectException(CommandRefusedException.class).expectNoEvents();
            throw refusal.get();
        }
        then.expectSuccessfulHandlerExecution();
        List<? extends DomainEventMessage<?>> all = fixture.getEventStore().readEvents(bondId).asStream().toList();
        List<EventMessage<?>> recorded = new ArrayList<>(all.subList(history.size(), all.size()));
        history.addAll(recorded);
        return recorded;
    }

    /** Given the history so far, when the actor sends the command, then it is refused with this code and records nothing. */
    CommandRefusedException refuses(String actor, Object command, String code) {
        return refuses(actor, command, null, code);
    }

    CommandRefusedException refuses(String actor, Object command, String idempotencyKey, String code) {
        int before = history.size();
        CommandRefusedException refused = assertThrows(CommandRefusedException.class,
                () -> run(actor, command, idempotencyKey), "refused with " + code);
        assertEquals(code, refused.code(), refused.getMessage());
        assertEquals(before, history.size(), "events recorded by a refused command");
        return refused;
    }

    /** Looks at the aggregate as rebuilt from the whole history by its event sourcing handlers. */
    void inspect(Consumer<Bond> check) {
        AggregateModel<Bond> model = AnnotatedAggregateMetaModelFactory.inspectAggregate(Bond.class);
        Bond rebuilt = new Bond();
        history.forEach(event -> model.publish(event, rebuilt));
        check.accept(rebuilt);
    }

    /** Looks at the bond held in memory, as the next command will find it (only for a bond kept in memory). */
    void inspectKept(Consumer<Bond> check) {
        kept.inspect(bondId, check);
    }

    List<EventMessage<?>> history() {
        return history;
    }

    static List<Object> payloads(List<EventMessage<?>> events) {
        return events.stream().map(e -> (Object) e.getPayload()).toList();
    }

    /** Recomputes the hash chain over the history: true when every link holds. */
    boolean chainIntact() {
        String previous = HashChain.GENESIS;
        for (EventMessage<?> event : history) {
            DomainEventMessage<?> domain = (DomainEventMessage<?>) event;
            Map<String, Object> meta = domain.getMetaData();
            if (!previous.equals(meta.get(AuditMetadata.PREVIOUS_HASH))) {
                return false;
            }
            String expected = HashChain.hash(previous, bondId, domain.getSequenceNumber(),
                    domain.getPayloadType().getName(), domain.getPayload(), meta);
            if (!expected.equals(meta.get(AuditMetadata.HASH))) {
                return false;
            }
            previous = expected;
        }
        return true;
    }
}
