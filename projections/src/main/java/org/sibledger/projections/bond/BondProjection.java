package org.sibledger.projections.bond;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.axonframework.queryhandling.QueryHandler;
import org.sibledger.contracts.bond.BondClosedEvent;
import org.sibledger.contracts.bond.BondMaturedEvent;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondPage;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.PartyAdmittedEvent;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.FindBondQuery;
import org.sibledger.contracts.bond.ListBondsQuery;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.ContractsJson;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The bonds read model: each bond's terms, status and parties. Rows are written with plain JDBC on the connection
 * of the processor's transaction, so the row and the tracking token commit together, and every write is idempotent
 * so a redelivered event changes nothing.
 */
@Component
@ProcessingGroup(BondProjection.PROCESSING_GROUP)
public class BondProjection {

    public static final String PROCESSING_GROUP = "bonds";

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final JdbcTemplate jdbc;

    public BondProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(BondStructuredEvent event, @SequenceNumber long sequence,
            @org.axonframework.eventhandling.Timestamp Instant timestamp, MetaData metaData) {
        BondTerms terms = event.terms();
        int inserted = jdbc.update("""
                        INSERT INTO bond_view (bond_id, name, currency, status, terms, structured_at, structured_by, last_sequence)
                        VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                        ON CONFLICT (bond_id) DO NOTHING""",
                event.bondId(), terms.name(), terms.currency(), BondStatus.STRUCTURED.name(), toJson(terms),
                Timestamp.from(timestamp), String.valueOf(metaData.get(AuditMetadata.ACTOR)), sequence);
        if (inserted == 1) {
            addParties(event.bondId(), terms);
        }
    }

    private void addParties(String bondId, BondTerms terms) {
        BondTerms.Parties parties = terms.parties();
        addParty(bondId, parties.arranger(), "ARRANGER");
        parties.serviceProviders().forEach(p -> addParty(bondId, p, "PROVIDER"));
        parties.outcomePayers().forEach(p -> addParty(bondId, p.id(), "OUTCOME_PAYER"));
        parties.evaluators().forEach(p -> addParty(bondId, p, "EVALUATOR"));
        parties.investors().forEach(p -> addParty(bondId, p, "INVESTOR"));
        parties.reviewers().forEach(p -> addParty(bondId, p, "REVIEWER"));
    }

    @EventHandler
    void on(PartyAdmittedEvent event, @SequenceNumber long sequence) {
        String role = event.role() == PartyRole.SERVICE_PROVIDER ? "PROVIDER" : event.role().name();
        BondTerms terms = BondParties.admit(find(event.bondId()).terms(), event.role(), event.partyId());
        if (advance(event.bondId(), sequence, "terms = ?::jsonb", toJson(terms))) {
            addParty(event.bondId(), event.partyId(), role);
        }
    }

    @EventHandler
    void on(TermsAmendedEvent event, @SequenceNumber long sequence) {
        if (advance(event.bondId(), sequence, "terms = ?::jsonb, name = ?", toJson(event.terms()), event.terms().name())) {
            jdbc.update("DELETE FROM bond_party WHERE bond_id = ?", event.bondId());
            addParties(event.bondId(), event.terms());
        }
    }

    @EventHandler
    void on(BondOpenedEvent event, @SequenceNumber long sequence) {
        advance(event.bondId(), sequence, "status = ?", BondStatus.OPEN.name());
    }

    @EventHandler
    void on(BondMaturedEvent event, @SequenceNumber long sequence) {
        advance(event.bondId(), sequence, "status = ?", BondStatus.MATURED.name());
    }

    @EventHandler
    void on(BondClosedEvent event, @SequenceNumber long sequence) {
        advance(event.bondId(), sequence, "status = ?", BondStatus.CLOSED.name());
    }

    /**
     * Applies a change only if the row has not seen this event yet (last_sequence below it), so a redelivered
     * event is a no-op; every event of a bond advances last_sequence in its order.
     */
    private boolean advance(String bondId, long sequence, String assignments, Object... values) {
        Object[] args = new Object[values.length + 3];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = sequence;
        args[values.length + 1] = bondId;
        args[values.length + 2] = sequence;
        return jdbc.update("UPDATE bond_view SET " + assignments + ", last_sequence = ? WHERE bond_id = ? AND last_sequence < ?",
                args) == 1;
    }

    private BondView find(String bondId) {
        return handle(new FindBondQuery(bondId)).orElseThrow(() ->
                new IllegalStateException("bond " + bondId + " has events but no row: the projection is behind its token"));
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM bond_view");
    }

    @QueryHandler
    public Optional<BondView> handle(FindBondQuery query) {
        return jdbc.query(SELECT + " WHERE bond_id = ?", ROW, query.bondId()).stream().findFirst();
    }

    @QueryHandler
    public BondPage handle(ListBondsQuery query) {
        String where = query.partyId() == null ? ""
                : " WHERE bond_id IN (SELECT bond_id FROM bond_party WHERE party_id = ?)";
        Object[] filter = query.partyId() == null ? new Object[0] : new Object[]{query.partyId()};
        List<Object> args = new java.util.ArrayList<>(List.of(filter));
        args.add(query.size());
        args.add((long) query.page() * query.size());
        List<BondView> items = jdbc.query(SELECT + where + " ORDER BY structured_at, bond_id LIMIT ? OFFSET ?", ROW,
                args.toArray());
        Long total = jdbc.queryForObject("SELECT count(*) FROM bond_view" + where, Long.class, filter);
        return new BondPage(items, query.page(), query.size(), total == null ? 0 : total);
    }

    private void addParty(String bondId, String partyId, String role) {
        jdbc.update("INSERT INTO bond_party (bond_id, party_id, role) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                bondId, partyId, role);
    }

    private static final String SELECT = """
            SELECT bond_id, name, currency, status, terms::text AS terms, structured_at, structured_by, last_sequence
            FROM bond_view""";

    private static final RowMapper<BondView> ROW = (rs, i) -> new BondView(
            rs.getString("bond_id"), rs.getString("name"), rs.getString("currency"),
            BondStatus.valueOf(rs.getString("status")), fromJson(rs.getString("terms")),
            rs.getTimestamp("structured_at").toInstant(), rs.getString("structured_by"), rs.getLong("last_sequence"));

    private static String toJson(BondTerms terms) {
        try {
            return JSON.writeValueAsString(terms);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write terms of " + terms.bondId(), e);
        }
    }

    private static BondTerms fromJson(String json) {
        try {
            return JSON.readValue(json, BondTerms.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read stored terms", e);
        }
    }
}
