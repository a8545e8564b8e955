package org.sibledger.projections.performance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.cohort.ListParticipantsQuery;
import org.sibledger.contracts.cohort.ParticipantList;
import org.sibledger.contracts.cohort.ParticipantsEnrolledEvent;
import org.sibledger.contracts.common.AuditMetadata;
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
import org.sibledger.projections.common.BatchedWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
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
    /**
     * Every write goes in the batch's JDBC batches. What the handlers read back (a bond's terms, participants' cohorts,
     * a measurement, a payout) is kept in the batch's memory as it is written, and read from the database only when
     * the batch has not seen it yet, so a batch of events costs a few round trips instead of several per event.
     */
    private final BatchedWrites rows;

    public PerformanceProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.queries = new PerformanceQueries(jdbc);
        this.rows = new BatchedWrites(jdbc);
    }

    /** A stored measurement: what it measured, the day it was submitted, and whether it counts as approved. */
    private static final class StoredMeasurement {
        final Measurement measurement;
        final LocalDate submittedOn;
        boolean approved;

        StoredMeasurement(Measurement measurement, LocalDate submittedOn, boolean approved) {
            this.measurement = measurement;
            this.submittedOn = submittedOn;
            this.approved = approved;
        }
    }

    /**
     * A stored payout's columns that its settlement or cancellation repeats (blank strings for none, as stored), and
     * the day its outcome was achieved (null when no measurement dates it).
     */
    private record StoredPayout(String metric, String cohortId, String payerId, BigDecimal payable, BigDecimal capped,
                                LocalDate outcomeOn) {
    }

    /** A version of a bond's terms: its place in the bond's stream and the moment it took effect. */
    private record StoredTerms(long sequence, Instant effectiveAt, BondTerms terms) {
    }

    private static List<String> measurementKey(String bondId, String measurementId) {
        return List.of("measurement|" + bondId + "|" + measurementId);
    }

    @EventHandler
    void on(BondStructuredEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) throws JsonProcessingException {
        Instant at = moment(recorded, occurredAt);
        rows.update(List.of(), "INSERT INTO performance_bond (bond_id, currency) VALUES (?, ?) ON CONFLICT DO NOTHING",
                event.bondId(), event.terms().currency());
        terms(event.bondId(), sequence, at, event.terms());
    }

    @EventHandler
    void on(TermsAmendedEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) throws JsonProcessingException {
        Instant at = moment(recorded, occurredAt);
        terms(event.bondId(), sequence, at, event.terms());
    }

    @EventHandler
    void on(ParticipantsEnrolledEvent event) {
        Map<String, String> cohorts = BatchedWrites.batchMemory("performance.cohorts");
        for (String ref : event.participantRefs()) {
            rows.update(List.of("participant|" + event.bondId() + "|" + ref), """
                    INSERT INTO performance_participant (bond_id, participant_ref, cohort_id) VALUES (?, ?, ?)
                    ON CONFLICT DO NOTHING""", event.bondId(), ref, event.cohortId());
            // a participant is enrolled once (the bond refuses a second enrolment), so this is the stored row
            cohorts.putIfAbsent(event.bondId() + "|" + ref, event.cohortId());
        }
    }

    @EventHandler
    void on(MeasurementSubmittedEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) throws JsonProcessingException {
        Instant at = moment(recorded, occurredAt);
        rows.update(measurementKey(event.bondId(), event.measurementId()), """
                        INSERT INTO performance_measurement (bond_id, measurement_id, measurement, submitted_on)
                        VALUES (?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING""",
                event.bondId(), event.measurementId(), JSON.writeValueAsString(event.measurement()),
                java.sql.Date.valueOf(day(at)));
        // measurement ids are unique in a bond, so this is the stored row (a redelivery stores nothing new)
        StoredMeasurement stored = new StoredMeasurement(event.measurement(), day(at), false);
        BatchedWrites.<String, StoredMeasurement>batchMemory("performance.measurements")
                .putIfAbsent(event.bondId() + "|" + event.measurementId(), stored);
        unitFacts(event.bondId(), event.measurementId(), stored, sequence, 0, at, SUBMITTED, 1);
    }

    @EventHandler
    void on(MeasurementApprovedEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) {
        Instant at = moment(recorded, occurredAt);
        StoredMeasurement stored = measurement(event.bondId(), event.measurementId());
        if (stored == null) {
            return;
        }
        unitFacts(event.bondId(), event.measurementId(), stored, sequence, 0, at, APPROVED, 1);
        approved(event.bondId(), event.measurementId(), stored, true);
    }

    @EventHandler
    void on(MeasurementRejectedEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) {
        Instant at = moment(recorded, occurredAt);
        StoredMeasurement stored = measurement(event.bondId(), event.measurementId());
        if (stored != null) {
            unitFacts(event.bondId(), event.measurementId(), stored, sequence, 0, at, REJECTED, 1);
        }
    }

    /** Rejected on dispute: an approval it had is reversed, and its units count as rejected. */
    @EventHandler
    void on(DisputeResolvedEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) {
        Instant at = moment(recorded, occurredAt);
        if (event.resolution() != DisputeResolution.REJECT) {
            return;
        }
        StoredMeasurement stored = measurement(event.bondId(), event.measurementId());
        if (stored == null) {
            throw new IllegalStateException("measurement " + event.measurementId() + " of bond " + event.bondId()
                    + " was resolved but never submitted here: the read model is behind its token");
        }
        boolean wasApproved = stored.approved;
        int line = unitFacts(event.bondId(), event.measurementId(), stored, sequence, 0, at, REJECTED, 1);
        if (wasApproved) {
            unitFacts(event.bondId(), event.measurementId(), stored, sequence, line, at, APPROVED, -1);
            approved(event.bondId(), event.measurementId(), stored, false);
        }
    }

    @EventHandler
    void on(PayoutTriggeredEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) {
        Instant at = moment(recorded, occurredAt);
        String cohort = event.cohortId() != null ? event.cohortId() : cohortOf(event.bondId(), event.participantRef());
        LocalDate outcomeOn = event.measurementId() == null ? null
                : outcomeOn(measurement(event.bondId(), event.measurementId()), event.participantRef(), event.metric());
        rows.update(List.of("payout|" + event.payoutId()), """
                        INSERT INTO performance_payout (payout_id, bond_id, payer_id, metric, cohort_id, payable, capped,
                            outcome_on)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                event.payoutId(), event.bondId(), event.payerId(), nz(event.metric()), nz(cohort), event.payable(),
                event.capped(), outcomeOn == null ? null : java.sql.Date.valueOf(outcomeOn));
        BatchedWrites.<String, StoredPayout>batchMemory("performance.payouts").putIfAbsent(event.payoutId(),
                new StoredPayout(nz(event.metric()), nz(cohort), event.payerId(), event.payable(), event.capped(), outcomeOn));
        fact(event.bondId(), sequence, 0, at, outcomeOn, TRIGGERED, event.measurementId(), event.metric(), cohort,
                event.payerId(), BigDecimal.ZERO, event.payable(), null);
        fact(event.bondId(), sequence, 1, at, outcomeOn, CAPPED, event.measurementId(), event.metric(), cohort,
                event.payerId(), BigDecimal.ZERO, event.capped(), null);
    }

    @EventHandler
    void on(PayoutCancelledEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) {
        Instant at = moment(recorded, occurredAt);
        StoredPayout payout = payout(event.payoutId());
        if (payout != null) {
            fact(event.bondId(), sequence, 0, at, payout.outcomeOn(), TRIGGERED, null, payout.metric(), payout.cohortId(),
                    payout.payerId(), BigDecimal.ZERO, payout.payable().negate(), null);
            fact(event.bondId(), sequence, 1, at, payout.outcomeOn(), CAPPED, null, payout.metric(), payout.cohortId(),
                    payout.payerId(), BigDecimal.ZERO, payout.capped().negate(), null);
        }
    }

    @EventHandler
    void on(PayoutSettledEvent event, @SequenceNumber long sequence, @Timestamp Instant recorded,
            @MetaDataValue(value = AuditMetadata.OCCURRED_AT, required = false) String occurredAt) {
        Instant at = moment(recorded, occurredAt);
        StoredPayout payout = payout(event.payoutId());
        if (payout != null) {
            // money moves on the day it is settled, whenever its outcome was achieved
            fact(event.bondId(), sequence, 0, at, null, SETTLED, null, payout.metric(), payout.cohortId(),
                    event.payerId(), BigDecimal.ZERO, event.amount(), null);
        }
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
        rows.update(List.of(), """
                        INSERT INTO performance_terms (bond_id, sequence, effective_at, terms) VALUES (?, ?, ?, ?::jsonb)
                        ON CONFLICT DO NOTHING""",
                bondId, sequence, java.sql.Timestamp.from(at), JSON.writeValueAsString(terms));
        List<StoredTerms> versions = termsOf(bondId);
        if (versions.stream().noneMatch(v -> v.sequence() == sequence)) {
            versions.add(new StoredTerms(sequence, micros(at), terms));
        }
    }

    /** Every version of a bond's terms: read once per batch of events, then kept up to date as versions are written. */
    private List<StoredTerms> termsOf(String bondId) {
        return BatchedWrites.<String, List<StoredTerms>>batchMemory("performance.terms").computeIfAbsent(bondId, id ->
                new ArrayList<>(jdbc.query("SELECT sequence, effective_at, terms FROM performance_terms WHERE bond_id = ?",
                        (rs, i) -> new StoredTerms(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                                PerformanceQueries.read(rs.getString(3))), id)));
    }

    /** The terms in force at a moment: the last version (by place in the stream) in effect by then. */
    private BondTerms termsAsOf(String bondId, Instant at) {
        Instant moment = micros(at);
        return termsOf(bondId).stream().filter(v -> !v.effectiveAt().isAfter(moment))
                .max(Comparator.comparingLong(StoredTerms::sequence)).map(StoredTerms::terms).orElse(null);
    }

    /** A moment as PostgreSQL stores it, to the microsecond, so the batch's memory compares as the table would. */
    private static Instant micros(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /** A stored measurement, from the batch's memory or else the table (remembered when found; null when absent). */
    private StoredMeasurement measurement(String bondId, String measurementId) {
        return BatchedWrites.<String, StoredMeasurement>batchMemory("performance.measurements").computeIfAbsent(
                bondId + "|" + measurementId, key -> jdbc.query("""
                                SELECT measurement, approved, submitted_on FROM performance_measurement
                                WHERE bond_id = ? AND measurement_id = ?""",
                        rs -> rs.next() ? new StoredMeasurement(readMeasurement(rs.getString(1)),
                                rs.getDate(3) == null ? null : rs.getDate(3).toLocalDate(), rs.getBoolean(2)) : null,
                        bondId, measurementId));
    }

    private void approved(String bondId, String measurementId, StoredMeasurement stored, boolean approved) {
        rows.update(measurementKey(bondId, measurementId),
                "UPDATE performance_measurement SET approved = ? WHERE bond_id = ? AND measurement_id = ?",
                approved, bondId, measurementId);
        stored.approved = approved;
    }

    /** A stored payout, from the batch's memory or else the table (remembered when found; null when absent). */
    private StoredPayout payout(String payoutId) {
        return BatchedWrites.<String, StoredPayout>batchMemory("performance.payouts").computeIfAbsent(payoutId, id ->
                jdbc.query("""
                                SELECT metric, cohort_id, payer_id, payable, capped, outcome_on FROM performance_payout
                                WHERE payout_id = ?""",
                        rs -> rs.next() ? new StoredPayout(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getBigDecimal(4), rs.getBigDecimal(5),
                                rs.getDate(6) == null ? null : rs.getDate(6).toLocalDate()) : null, id));
    }

    private static Measurement readMeasurement(String json) {
        try {
            return JSON.readValue(json, Measurement.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a stored measurement", e);
        }
    }

    /**
     * Writes one fact per metric, cohort and day of outcome the measurement counts for, dated by when the outcomes
     * were achieved (a claim's {@code achievedOn}, a result's {@code periodEnd}, else the day it was submitted);
     * returns the next free line.
     */
    private int unitFacts(String bondId, String measurementId, StoredMeasurement stored, long sequence, int firstLine,
                          Instant at, String kind, int sign) {
        Measurement measurement = stored.measurement;
        BondTerms terms = termsAsOf(bondId, at);
        Map<String, String> cohorts = cohortsOf(bondId, measurement);
        int line = firstLine;
        for (MeasuredUnits units : MeasuredUnits.of(measurement, terms, ref -> cohorts.get(ref))) {
            fact(bondId, sequence, line++, at, units.outcomeOn() != null ? units.outcomeOn() : stored.submittedOn, kind,
                    measurementId, units.metric(), units.cohortId(), null, BigDecimal.valueOf((long) sign * units.units()),
                    BigDecimal.ZERO, units.value());
        }
        return line;
    }

    /**
     * The day a payout's outcome was achieved: its claim's {@code achievedOn} (the participant's claim of the metric;
     * the latest where a repeatable metric was claimed twice), else the result's {@code periodEnd}, else the day the
     * measurement was submitted; null without a measurement.
     */
    private static LocalDate outcomeOn(StoredMeasurement stored, String participantRef, String metric) {
        if (stored == null) {
            return null;
        }
        if (stored.measurement instanceof Measurement.OutcomeClaims claims) {
            return claims.claims().stream()
                    .filter(c -> java.util.Objects.equals(c.participantRef(), participantRef)
                            && java.util.Objects.equals(c.metric(), metric))
                    .map(Measurement.OutcomeClaim::achievedOn).filter(java.util.Objects::nonNull)
                    .max(Comparator.naturalOrder()).orElse(stored.submittedOn);
        }
        return stored.measurement.periodEnd() != null ? stored.measurement.periodEnd() : stored.submittedOn;
    }

    /**
     * When an event happened: the {@code occurredAt} its command was given (the same as when it was recorded, but for
     * a history told afterwards, as the demo's is), else when it was recorded.
     */
    private static Instant moment(Instant recorded, String occurredAt) {
        if (occurredAt != null) {
            try {
                return Instant.parse(occurredAt);
            } catch (java.time.format.DateTimeParseException notADate) {
                return recorded;
            }
        }
        return recorded;
    }

    private static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** The cohorts of the participants a measurement's claims name, from the batch's memory or else the table. */
    private Map<String, String> cohortsOf(String bondId, Measurement measurement) {
        if (!(measurement instanceof Measurement.OutcomeClaims)) {
            return Map.of();
        }
        Map<String, String> memory = BatchedWrites.batchMemory("performance.cohorts");
        Map<String, String> cohorts = new java.util.HashMap<>();
        List<String> unknown = new ArrayList<>();
        ((Measurement.OutcomeClaims) measurement).claims().stream().map(Measurement.OutcomeClaim::participantRef)
                .distinct().forEach(ref -> {
                    String cohort = memory.get(bondId + "|" + ref);
                    if (cohort != null) {
                        cohorts.put(ref, cohort);
                    } else {
                        unknown.add(ref);
                    }
                });
        if (!unknown.isEmpty()) {
            // only the participants the claims name: a bond may enrol tens of thousands
            jdbc.query(connection -> {
                var statement = connection.prepareStatement(
                        "SELECT participant_ref, cohort_id FROM performance_participant WHERE bond_id = ? AND participant_ref = ANY (?)");
                statement.setString(1, bondId);
                statement.setArray(2, connection.createArrayOf("varchar", unknown.toArray()));
                return statement;
            }, rs -> {
                cohorts.put(rs.getString(1), rs.getString(2));
                memory.put(bondId + "|" + rs.getString(1), rs.getString(2));
            });
        }
        return cohorts;
    }

    private String cohortOf(String bondId, String participantRef) {
        if (participantRef == null) {
            return null;
        }
        return BatchedWrites.<String, String>batchMemory("performance.cohorts").computeIfAbsent(bondId + "|" + participantRef,
                key -> jdbc.query("SELECT cohort_id FROM performance_participant WHERE bond_id = ? AND participant_ref = ?",
                        rs -> rs.next() ? rs.getString(1) : null, bondId, participantRef));
    }

    /** {@code outcomeOn}: the day the outcome behind the fact was achieved; null when it is the day of {@code at}. */
    private void fact(String bondId, long sequence, int line, Instant at, LocalDate outcomeOn, String kind,
                      String measurementId, String metric, String cohortId, String payerId, BigDecimal units,
                      BigDecimal amount, BigDecimal value) {
        rows.update(List.of(), """
                        INSERT INTO performance_fact (bond_id, sequence, line, at, outcome_on, kind, measurement_id,
                            metric, cohort_id, payer_id, units, amount, value)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                bondId, sequence, line, java.sql.Timestamp.from(at),
                outcomeOn == null ? null : java.sql.Date.valueOf(outcomeOn), kind, measurementId, nz(metric),
                nz(cohortId), nz(payerId), units, amount, value);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
