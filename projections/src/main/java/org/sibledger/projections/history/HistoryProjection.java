package org.sibledger.projections.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.history.HistoryEntry;
import org.sibledger.contracts.history.HistoryPage;
import org.sibledger.contracts.history.ListHistoryQuery;
import org.sibledger.contracts.stream.EventTypes;
import org.sibledger.projections.common.BatchedWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The history read model: every event of every bond, in order, with who acted, when, on whose behalf, its
 * idempotency key and its link in the hash chain, the moment and type name exactly as the hash covers them (so the
 * chain can be recomputed from the history alone). It serves reading; checking the chain reads the event store itself.
 * One row per event keyed by its place in the stream, so a redelivered event is ignored.
 */
@Component
@ProcessingGroup(HistoryProjection.PROCESSING_GROUP)
public class HistoryProjection {

    public static final String PROCESSING_GROUP = "history";

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final JdbcTemplate jdbc;
    /** Every event is one row, never read back while its batch is processed: the rows go in batches. */
    private final BatchedWrites rows;
    /** The events' serializer: a payload read from the store keeps its stored JSON, which is used as it is. */
    private final Serializer serializer;

    public HistoryProjection(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer) {
        this.jdbc = jdbc;
        this.rows = new BatchedWrites(jdbc);
        this.serializer = serializer;
    }

    @EventHandler
    void on(EventMessage<?> message) {
        if (!(message instanceof DomainEventMessage<?> event)) {
            return;
        }
        MetaData meta = event.getMetaData();
        Revision revision = event.getPayloadType().getAnnotation(Revision.class);
        Object occurredAt = meta.get(AuditMetadata.OCCURRED_AT);
        // the moment as a TIMESTAMPTZ (microseconds) for ordering, and as the text the hash covers, to the nanosecond
        rows.update("""
                        INSERT INTO history_event (bond_id, sequence, event_id, type, payload_type, revision, occurred_at,
                            occurred_at_text, actor, on_behalf_of, idempotency_key, hash, previous_hash, payload)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) ON CONFLICT DO NOTHING""",
                event.getAggregateIdentifier(), event.getSequenceNumber(), event.getIdentifier(),
                EventTypes.name(event.getPayloadType()), serializer.typeForClass(event.getPayloadType()).getName(),
                revision == null ? null : revision.value(),
                Timestamp.from(occurredAt == null ? event.getTimestamp() : Instant.parse(occurredAt.toString())),
                text(occurredAt), text(meta.get(AuditMetadata.ACTOR)), text(meta.get(AuditMetadata.ON_BEHALF_OF)),
                text(meta.get(AuditMetadata.IDEMPOTENCY_KEY)), text(meta.get(AuditMetadata.HASH)),
                text(meta.get(AuditMetadata.PREVIOUS_HASH)), event.serializePayload(serializer, String.class).getData());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM history_event");
    }

    @QueryHandler
    public HistoryPage handle(ListHistoryQuery query) {
        List<HistoryEntry> items = jdbc.query("""
                        SELECT * FROM history_event WHERE bond_id = ? AND sequence >= ?
                        ORDER BY sequence LIMIT ?""", ROW,
                query.bondId(), Math.max(0, query.from()), query.size() + 1);
        Long next = items.size() > query.size() ? items.get(query.size()).sequence() : null;
        return new HistoryPage(query.bondId(), query.from(), items.subList(0, Math.min(items.size(), query.size())), next);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /**
     * A row written before migration V12_1 has no text of its moment nor type name as hashed until a replay: its moment
     * is then the TIMESTAMPTZ's (to the microsecond), its type name absent.
     */
    private static final RowMapper<HistoryEntry> ROW = (rs, i) -> new HistoryEntry(rs.getLong("sequence"),
            rs.getString("event_id"), rs.getString("type"), rs.getString("payload_type"), rs.getString("revision"),
            rs.getString("occurred_at_text") != null ? rs.getString("occurred_at_text")
                    : rs.getTimestamp("occurred_at").toInstant().toString(),
            rs.getString("actor"), rs.getString("on_behalf_of"), rs.getString("idempotency_key"), rs.getString("hash"),
            rs.getString("previous_hash"), tree(rs.getString("payload")));

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
