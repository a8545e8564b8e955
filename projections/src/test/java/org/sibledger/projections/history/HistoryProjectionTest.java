package org.sibledger.projections.history;

import org.sibledger.projections.support.ProjectionTestBase;
import org.springframework.jdbc.core.JdbcTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.history.HistoryEntry;
import org.sibledger.contracts.history.HistoryPage;
import org.sibledger.contracts.history.ListHistoryQuery;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.projections.support.EventStream;
import org.sibledger.projections.support.TestTerms;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The history read model alone, on PostgreSQL with the ledger's schema, fed as the event processor feeds it. */
class HistoryProjectionTest extends ProjectionTestBase<HistoryProjection> {

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    @Override
    protected HistoryProjection newProjection(JdbcTemplate jdbc) {
        // the events' serializer as the ledger configures it: Axon's Jackson serializer over the contracts' mapper
        return new HistoryProjection(jdbc, JacksonSerializer.builder().objectMapper(JSON).build());
    }

    private HistoryPage page(String bondId, long from, int size) {
        return projection.handle(new ListHistoryQuery(bondId, from, size));
    }

    private EventMessage<?> triggered(String bondId, String payoutId, String payable) {
        BigDecimal amount = new BigDecimal(payable);
        return stream.next(bondId, new PayoutTriggeredEvent(bondId, payoutId, "m-1", "payer-a", "job", null, null,
                amount, amount, BigDecimal.ZERO, "RATE_CARD", 1), "payer-a");
    }

    @Test
    void everyEventOfABondIsOneEntryWithWhoActedWhenAndItsLinkInTheChain() throws Exception {
        // a moment to the nanosecond, finer than the microseconds of a TIMESTAMPTZ: kept as the hash covers it
        Instant precise = START.plusNanos(123_456_789);
        stream.at(precise);
        BondStructuredEvent structured = new BondStructuredEvent("b-1", TestTerms.rateCard("b-1", "JPY"));
        processor.deliver(stream.next("b-1", structured, "arranger-1"),
                stream.next("b-2", new BondStructuredEvent("b-2", TestTerms.rateCard("b-2", "GBP"))),
                stream.next("b-1", new BondOpenedEvent("b-1", new BigDecimal("500000")), "arranger-2"),
                // not an event of any bond: no entry
                GenericEventMessage.asEventMessage("a message of no aggregate"));

        HistoryPage page = page("b-1", 0, 10);
        assertThat(page.items()).extracting(HistoryEntry::sequence).containsExactly(0L, 1L);
        assertThat(page.next()).isNull();
        HistoryEntry first = page.items().get(0);
        assertThat(first.type()).isEqualTo("BondStructured");
        assertThat(first.revision()).isEqualTo("1");
        assertThat(first.eventId()).isEqualTo("event-b-1-0");
        assertThat(first.actor()).isEqualTo("arranger-1");
        assertThat(first.occurredAt()).isEqualTo("2024-03-01T09:00:00.123456789Z").isEqualTo(precise.toString());
        assertThat(first.payloadType()).isEqualTo(BondStructuredEvent.class.getName());
        assertThat(first.idempotencyKey()).isEqualTo("key-b-1-0");
        assertThat(first.hash()).isEqualTo(EventStream.hash("b-1", 0));
        assertThat(first.previousHash()).isNull();
        assertThat(first.payload()).isEqualTo(JSON.readTree(JSON.writeValueAsString(structured)));
        HistoryEntry second = page.items().get(1);
        assertThat(second.actor()).isEqualTo("arranger-2");
        assertThat(second.hash()).isEqualTo(EventStream.hash("b-1", 1));
        assertThat(second.previousHash()).isEqualTo(first.hash());
        assertThat(second.occurredAt()).isEqualTo(precise.plus(Duration.ofMinutes(2)).toString());
        assertThat(second.occurredAtInstant()).isEqualTo(precise.plus(Duration.ofMinutes(2)));
        assertThat(second.payloadType()).isEqualTo(BondOpenedEvent.class.getName());
        assertThat(database.rows().get("history_event")).hasSize(3);
    }

    @Test
    void aBondsHistoryIsReadInPages() {
        List<EventMessage<?>> events = new ArrayList<>();
        events.add(stream.next("b-3", new BondStructuredEvent("b-3", TestTerms.rateCard("b-3", "EUR"))));
        for (int i = 1; i < 25; i++) {
            events.add(triggered("b-3", "po-" + i, i + ".00"));
        }
        processor.deliverInBatches(events, 10);
        HistoryPage first = page("b-3", 0, 10);
        assertThat(first.items()).hasSize(10);
        assertThat(first.next()).isEqualTo(10L);
        HistoryPage last = page("b-3", 20, 10);
        assertThat(last.items()).extracting(HistoryEntry::sequence).containsExactly(20L, 21L, 22L, 23L, 24L);
        assertThat(last.next()).isNull();
    }

    @Test
    void amountsAtTheBoundsAreKeptAsTheEventStatesThem() {
        processor.deliver(triggered("b-jpy", "j-1", TestTerms.LARGEST_JPY.toPlainString()),
                triggered("b-gbp", "g-1", TestTerms.LARGEST_GBP.toPlainString()),
                triggered("b-kwd", "k-1", TestTerms.LARGEST_KWD.toPlainString()),
                triggered("b-gbp", "g-2", "0.10"));
        assertThat(page("b-jpy", 0, 1).items().get(0).payload().get("payable").asText()).isEqualTo("999999999999999");
        assertThat(page("b-gbp", 0, 2).items()).extracting(e -> e.payload().get("payable").asText())
                .containsExactly("999999999999999.99", "0.10");
        assertThat(page("b-kwd", 0, 1).items().get(0).payload().get("payable").asText()).isEqualTo("999999999999999.999");
    }

    private List<EventMessage<?>> history(String bondId) {
        List<EventMessage<?>> events = new ArrayList<>();
        events.add(stream.next(bondId, new BondStructuredEvent(bondId, TestTerms.rateCard(bondId, "EUR"))));
        events.add(stream.next(bondId, new BondOpenedEvent(bondId, new BigDecimal("1000.00"))));
        for (int i = 0; i < 4; i++) {
            events.add(triggered(bondId, "po-" + i + "-" + bondId, "1" + i + ".50"));
        }
        return events;
    }

    @Test
    void eventsDeliveredAgainChangeNothing() {
        List<EventMessage<?>> events = history("b-4");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        for (int from = 0; from < events.size(); from++) {
            processor.deliver(events.subList(from, events.size()));
        }
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aBatchRolledBackAndHandledAgainEventByEventLeavesTheRowsOfOneDelivery() {
        List<EventMessage<?>> events = history("b-5");
        processor.deliver(events);
        Map<String, List<String>> once = database.rows();
        processor.reset();

        processor.deliverAndRollBack(events);
        assertThat(page("b-5", 0, 10).items()).isEmpty();
        processor.deliverEventByEvent(events);
        assertThat(database.rows()).isEqualTo(once);
    }

    @Test
    void aReplayRebuildsTheSameRows() {
        assertReplayRebuildsTheSameRows(ofThreeBonds(this::history), 4, "history_event", 18, "history_event");
    }
}
