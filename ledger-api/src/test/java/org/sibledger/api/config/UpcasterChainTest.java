package org.sibledger.api.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.Terms;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.cohort.CohortOpenedEvent;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store is Axon's auto-configured one, with the upcaster chain: an event stored in an older revision (here a
 * {@code CohortOpenedEvent} of a revision "0" whose {@code size} was called {@code participants}) is read through the
 * upcaster that an application registers as a bean, as the current record. A store built without the chain would
 * fail to read it (the old field is unknown to the current record, and the ledger's reader is strict).
 */
@ExtendWith(InfrastructureExtension.class)
class UpcasterChainTest {

    @Test
    void anEventOfAnOlderRevisionIsReadThroughTheRegisteredUpcaster() {
        String db = TestInfrastructure.get().newDatabase();
        try (LedgerNode node = LedgerNode.start(db, "--spring.main.sources=" + OldRevisions.class.getName())) {
            assertThat(node.api("arranger").post("/api/bonds", Terms.rateCard("upcast")).status()).isEqualTo(201);
            LedgerCommands commands = node.bean(LedgerCommands.class);
            commands.send(new MakeCommitmentCommand("upcast", "investor", "senior", new BigDecimal("100000.00")), "investor", null);
            commands.send(new OpenBondCommand("upcast"), "arranger", null);
            commands.send(new OpenCohortCommand("upcast", "c1", "Cohort 1", 1000, LocalDate.parse("2019-01-01")), "provider", null);

            // the cohort's event as an older version of the ledger would have stored it
            int rewritten = node.sql().update("""
                    UPDATE domainevententry
                    SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"size":', '"participants":'), 'UTF8'),
                        payloadrevision = '0'
                    WHERE aggregateidentifier = 'upcast' AND payloadtype = ?""", CohortOpenedEvent.class.getName());
            assertThat(rewritten).isEqualTo(1);
            assertThat(node.sql().queryForObject("""
                    SELECT convert_from(payload, 'UTF8') FROM domainevententry
                    WHERE aggregateidentifier = 'upcast' AND payloadtype = ?""", String.class, CohortOpenedEvent.class.getName()))
                    .contains("\"participants\":1000").doesNotContain("\"size\"");

            List<Object> payloads = node.bean(EventStore.class).readEvents("upcast").asStream()
                    .map(DomainEventMessage::getPayload).map(Object.class::cast).toList();
            assertThat(payloads).filteredOn(CohortOpenedEvent.class::isInstance).containsExactly(new CohortOpenedEvent("upcast", "c1", "Cohort 1", 1000, LocalDate.parse("2019-01-01")));
        }
    }

    /** What an application adds when an event's shape changes: an upcaster bean, which Axon puts in the store's chain. */
    @Configuration(proxyBeanMethods = false)
    static class OldRevisions {

        @Bean
        CohortOpenedRevision0 cohortOpenedRevision0() {
            return new CohortOpenedRevision0();
        }
    }

    static final class CohortOpenedRevision0 extends SingleEventUpcaster {

        private static final SimpleSerializedType OLD = new SimpleSerializedType(CohortOpenedEvent.class.getName(), "0");
        private static final SimpleSerializedType CURRENT = new SimpleSerializedType(CohortOpenedEvent.class.getName(), "1");

        @Override
        protected boolean canUpcast(IntermediateEventRepresentation representation) {
            return representation.getType().equals(OLD);
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
            return representation.upcastPayload(CURRENT, JsonNode.class, payload -> {
                ObjectNode event = (ObjectNode) payload;
                event.set("size", event.remove("participants"));
                return event;
            });
        }
    }
}
