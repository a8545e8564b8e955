package org.sibledger.projections.performance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.cohort.ListParticipantsQuery;
import org.sibledger.contracts.cohort.ParticipantList;
import org.sibledger.contracts.cohort.ParticipantsEnrolledEvent;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.performance.FindPerformanceQuery;
import org.sibledger.contracts.performance.PerformanceView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The performance read model: append-only facts per metric, cohort and payer (units submitted, approved, rejected;
 * amounts triggered, capped, settled), each keyed by its event's place in the bond's stream, so a redelivered event
 * adds nothing and any past date's figures are a sum over the facts recorded by then. A reversal (a payout cancelled,
 * an approval rejected on dispute) is a negative fact, never an edit.
 */
@Component
@ProcessingGroup(PerformanceProjection.PROCESSING_GROUP)
public class PerformanceProjection {

    public static final String PROCESSING_GROUP = "performance";

    static final String SUBMITTED = "SUBMITTED";
    static final String APPROVED = "APPROVED";
    static final String REJECTED = "REJECTED";
    static final String TRIGGERED = "TRIGGERED";
    static final String CAPPED = "CAPPED";
    static final String SETTLED = "SETTLED";

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final JdbcTemplate jdbc;
    private final PerformanceQueries queries;

    public PerformanceProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.queries = new PerformanceQueries(jdbc);
    }

    @EventHandler
    void on(BondStructuredEvent event, @SequenceNumber long sequence, @Timestamp Instant at) throws JsonProcessingException {
        jdbc.update("INSERT INTO performance_bond (bond_id, currency) VALUES (?, ?) ON CONFLICT DO NOTHING",
                event.bondId(), event.terms().currency());
        terms(event.bondId(), sequence, at, event.terms());
    }

    @EventHandler
    void on(TermsAmendedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) throws JsonProcessingException {
        terms(event.bondId(), sequence, at, event.terms());
    }

    @EventHandler
    void on(ParticipantsEnrolledEvent event) {
        for (String ref : event.participantRefs()) {
            jdbc.update("""
                    INSERT INTO performance_participant (bond_id, participant_ref, cohort_id) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING""", event.bondId(), ref, event.cohortId());
        }
    }

    @EventHandler
    void on(MeasurementSubmittedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) throws JsonProcessingException {
        jdbc.update("""
                        INSERT INTO performance_measurement (bond_id, measurement_id, measurement) VALUES (?, ?, ?::jsonb)
                        ON CONFLICT DO NOTHING""",
                event.bondId(), event.measurementId(), JSON.writeValueAsString(event.measurement()));
        unitFacts(event.bondId(), event.measurementId(), event.measurement(), sequence, 0, at, SUBMITTED, 1);
    }

    @EventHandler
    void on(MeasurementApprovedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) throws JsonProcessingException {
        unitFacts(event.bondId(), event.measurementId(), sequence, 0, at, APPROVED, 1);
        jdbc.update("UPDATE performance_measurement SET approved = TRUE WHERE bond_id = ? AND measurement_id = ?",
                event.bondId(), event.measurementId());
    }

    @EventHandler
    void on(MeasurementRejectedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) throws JsonProcessingException {
        unitFacts(event.bondId(), event.measurementId(), sequence, 0, at, REJECTED, 1);
    }

    /** Rejected on dispute: an approval it had is reversed, and its units count as rejected. */
    @EventHandler
    void on(DisputeResolvedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) throws JsonProcessingException {
        if (event.resolution() != DisputeResolution.REJECT) {
            return;
        }
        Boolean approved = jdbc.queryForObject("""
                        SELECT approved FROM performance_measurement WHERE bond_id = ? AND measurement_id = ?""",
                Boolean.class, event.bondId(), event.measurementId());
        int line = unitFacts(event.bondId(), event.measurementId(), sequence, 0, at, REJECTED, 1);
        if (Boolean.TRUE.equals(approved)) {
            unitFacts(event.bondId(), event.measurementId(), sequence, line, at, APPROVED, -1);
            jdbc.update("UPDATE performance_measurement SET approved = FALSE WHERE bond_id = ? AND measurement_id = ?",
                    event.bondId(), event.measurementId());
        }
    }

    @EventHandler
    void on(PayoutTriggeredEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        String cohort = event.cohortId() != null ? event.cohortId() : cohortOf(event.bondId(), event.participantRef());
        jdbc.update("""
                        INSERT INTO performance_payout (payout_id, bond_id, payer_id, metric, cohort_id, payable, capped)
                        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                event.payoutId(), event.bondId(), event.payerId(), nz(event.metric()), nz(cohort), event.payable(),
                event.capped());
        fact(event.bondId(), sequence, 0, at, TRIGGERED, event.measurementId(), event.metric(), cohort, event.payerId(),
                BigDecimal.ZERO, event.payable(), null);
        fact(event.bondId(), sequence, 1, at, CAPPED, event.measurementId(), event.metric(), cohort, event.payerId(),
                BigDecimal.ZERO, event.capped(), null);
    }

    @EventHandler
    void on(PayoutCancelledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.query("SELECT * FROM performance_payout WHERE payout_id = ?", rs -> {
            fact(event.bondId(), sequence, 0, at, TRIGGERED, null, rs.getString("metric"), rs.getString("cohort_id"),
                    rs.getString("payer_id"), BigDecimal.ZERO, rs.getBigDecimal("payable").negate(), null);
            fact(event.bondId(), sequence, 1, at, CAPPED, null, rs.getString("metric"), rs.getString("cohort_id"),
                    rs.getString("payer_id"), BigDecimal.ZERO, rs.getBigDecimal("capped").negate(), null);
        }, event.payoutId());
    }

    @EventHandler
    void on(PayoutSettledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        jdbc.query("SELECT * FROM performance_payout WHERE payout_id = ?", rs -> {
            fact(event.bondId(), sequence, 0, at, SETTLED, null, rs.getString("metric"), rs.getString("cohort_id"),
                    event.payerId(), BigDecimal.ZERO, event.amount(), null);
        }, event.payoutId());
    }

    @ResetHandler
    void reset() {
        for (String table : List.of("performance_fact", "performance_payout", "performance_measurement",
                "performance_participant", "performance_terms", "performance_bond")) {
            jdbc.update("DELETE FROM " + table);
        }
    }

    @QueryHandler
    public Optional<PerformanceView> handle(FindPerformanceQuery query) {
        return queries.find(query.bondId(), query.asOf());
    }

    @QueryHandler
    public ParticipantList handle(ListParticipantsQuery query) {
        Map<String, String> cohorts = new java.util.TreeMap<>();
        jdbc.query("SELECT participant_ref, cohort_id FROM performance_participant WHERE bond_id = ?",
                rs -> {
                    cohorts.put(rs.getString(1), rs.getString(2));
                }, query.bondId());
        return new ParticipantList(query.bondId(), cohorts);
    }

    private void terms(String bondId, long sequence, Instant at, BondTerms terms) throws JsonProcessingException {
        jdbc.update("""
                        INSERT INTO performance_terms (bond_id, sequence, effective_at, terms) VALUES (?, ?, ?, ?::jsonb)
                        ON CONFLICT DO NOTHING""",
                bondId, sequence, java.sql.Timestamp.from(at), JSON.writeValueAsString(terms));
    }

    /** Writes one fact per metric and cohort the measurement counts for; returns the next free line. */
    private int unitFacts(String bondId, String measurementId, long sequence, int firstLine, Instant at, String kind,
                          int sign) throws JsonProcessingException {
        String json = jdbc.query("SELECT measurement FROM performance_measurement WHERE bond_id = ? AND measurement_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, bondId, measurementId);
        if (json == null) {
            return firstLine;
        }
        return unitFacts(bondId, measurementId, JSON.readValue(json, Measurement.class), sequence, firstLine, at, kind, sign);
    }

    /** The same, for a measurement at hand (its submission) rather than read back from the table. */
    private int unitFacts(String bondId, String measurementId, Measurement measurement, long sequence, int firstLine,
                          Instant at, String kind, int sign) {
        BondTerms terms = queries.termsAsOf(bondId, at);
        Map<String, String> cohorts = cohortsOf(bondId, measurement);
        int line = firstLine;
        for (MeasuredUnits units : MeasuredUnits.of(measurement, terms, ref -> cohorts.get(ref))) {
            fact(bondId, sequence, line++, at, kind, measurementId, units.metric(), units.cohortId(), null,
                    BigDecimal.valueOf((long) sign * units.units()), BigDecimal.ZERO, units.value());
        }
        return line;
    }

    private Map<String, String> cohortsOf(String bondId, Measurement measurement) {
        if (!(measurement instanceof Measurement.OutcomeClaims)) {
            return Map.of();
        }
        // only the participants the claims name: a bond may enrol tens of thousands
        String[] refs = ((Measurement.OutcomeClaims) measurement).claims().stream()
                .map(Measurement.OutcomeClaim::participantRef).distinct().toArray(String[]::new);
        Map<String, String> cohorts = new java.util.HashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT participant_ref, cohort_id FROM performance_participant WHERE bond_id = ? AND participant_ref = ANY (?)");
            statement.setString(1, bondId);
            statement.setArray(2, connection.createArrayOf("varchar", refs));
            return statement;
        }, rs -> {
            cohorts.put(rs.getString(1), rs.getString(2));
        });
        return cohorts;
    }

    private String cohortOf(String bondId, String participantRef) {
        if (participantRef == null) {
            return null;
        }
        return jdbc.query("SELECT cohort_id FROM performance_participant WHERE bond_id = ? AND participant_ref = ?",
                rs -> rs.next() ? rs.getString(1) : null, bondId, participantRef);
    }

    private void fact(String bondId, long sequence, int line, Instant at, String kind, String measurementId,
                      String metric, String cohortId, String payerId, BigDecimal units, BigDecimal amount,
                      BigDecimal value) {
        jdbc.update("""
                        INSERT INTO performance_fact (bond_id, sequence, line, at, kind, measurement_id, metric,
                            cohort_id, payer_id, units, amount, value)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                bondId, sequence, line, java.sql.Timestamp.from(at), kind, measurementId, nz(metric), nz(cohortId),
                nz(payerId), units, amount, value);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
