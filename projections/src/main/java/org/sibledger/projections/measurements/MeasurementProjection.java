package org.sibledger.projections.measurements;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import java.sql.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.FindMeasurementQuery;
import org.sibledger.contracts.measurement.ListMeasurementsQuery;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementPage;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.measurement.MeasurementSupersededEvent;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.projections.common.BatchedWrites;
import org.sibledger.projections.common.StoredMoney;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The measurements read model: each bond's measurements with evaluator, what was measured, evidence and status,
 * which is the payers' approval queue (status SUBMITTED) and each evaluator's list of submissions. Status updates
 * name the statuses they move from and payouts are rows of their own, so a redelivered event changes nothing.
 */
@Component
@ProcessingGroup(MeasurementProjection.PROCESSING_GROUP)
public class MeasurementProjection {

    public static final String PROCESSING_GROUP = "measurements";

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final JdbcTemplate jdbc;
    /** Every write goes in the batch's JDBC batches: no handler reads this read model back. */
    private final BatchedWrites rows;

    public MeasurementProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.rows = new BatchedWrites(jdbc);
    }

    /** The keys of the rows a write touches (see {@link BatchedWrites}). */
    private static String bond(String bondId) {
        return "bond|" + bondId;
    }

    private static String measurement(String bondId, String measurementId) {
        return "measurement|" + bondId + "|" + measurementId;
    }

    private static String payout(String payoutId) {
        return "payout|" + payoutId;
    }

    @EventHandler
    void on(BondStructuredEvent event) {
        rows.update(List.of(bond(event.bondId())), "INSERT INTO measurement_bond (bond_id, currency) VALUES (?, ?) ON CONFLICT DO NOTHING",
                event.bondId(), event.terms().currency());
    }

    @EventHandler
    void on(MeasurementSubmittedEvent event, @SequenceNumber long sequence, @org.axonframework.eventhandling.Timestamp Instant at) throws JsonProcessingException {
        Summary summary = Summary.of(event.measurement(), event.evidenceRef());
        // reads the bond's currency row, written in order before it
        rows.update(List.of(bond(event.bondId()), measurement(event.bondId(), event.measurementId())), """
                        INSERT INTO measurement_view (bond_id, measurement_id, sequence, evaluator_id, type, metric,
                            cohort_id, period, units, evidence_refs, measurement, supersedes, status, submitted_at, currency)
                        SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, 'SUBMITTED', ?, currency
                        FROM measurement_bond WHERE bond_id = ? ON CONFLICT DO NOTHING""",
                event.bondId(), event.measurementId(), sequence, event.evaluatorId(), summary.type, summary.metric,
                summary.cohortId, summary.period, summary.units, JSON.writeValueAsString(summary.evidenceRefs),
                JSON.writeValueAsString(event.measurement()), event.supersedes(), Timestamp.from(at), event.bondId());
    }

    @EventHandler
    void on(MeasurementSupersededEvent event) {
        rows.update(List.of(measurement(event.bondId(), event.measurementId())), """
                        UPDATE measurement_view SET status = 'SUPERSEDED', superseded_by = ?
                        WHERE bond_id = ? AND measurement_id = ? AND status <> 'SUPERSEDED'""",
                event.supersededBy(), event.bondId(), event.measurementId());
    }

    @EventHandler
    void on(MeasurementApprovedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        decide(event.bondId(), event.measurementId(), "APPROVED", event.payerId(), event.reason(), at, "'SUBMITTED', 'DISPUTED'");
    }

    @EventHandler
    void on(MeasurementRejectedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        decide(event.bondId(), event.measurementId(), "REJECTED", event.payerId(), event.reason(), at, "'SUBMITTED'");
    }

    @EventHandler
    void on(MeasurementDisputedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        decide(event.bondId(), event.measurementId(), "DISPUTED", event.payerId(), event.reason(), at, "'SUBMITTED', 'APPROVED'");
    }

    /** Upheld: approved (an approval event follows when it had none); rejected: rejected, its payouts cancelled. */
    @EventHandler
    void on(DisputeResolvedEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        decide(event.bondId(), event.measurementId(),
                event.resolution() == DisputeResolution.UPHOLD ? "APPROVED" : "REJECTED", event.payerId(),
                event.reason(), at, "'DISPUTED'");
    }

    /** A payout of no one measurement (the pooled payment at maturity) belongs to no measurement's row. */
    @EventHandler
    void on(PayoutTriggeredEvent event) {
        if (event.measurementId() == null) {
            return;
        }
        rows.update(List.of(payout(event.payoutId())), """
                        INSERT INTO measurement_payout (payout_id, bond_id, measurement_id, payable, capped)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                event.payoutId(), event.bondId(), event.measurementId(), event.payable(), event.capped());
    }

    @EventHandler
    void on(PayoutCancelledEvent event) {
        rows.update(List.of(payout(event.payoutId())), "UPDATE measurement_payout SET cancelled = TRUE WHERE payout_id = ?",
                event.payoutId());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM measurement_payout");
        jdbc.update("DELETE FROM measurement_view");
        jdbc.update("DELETE FROM measurement_bond");
    }

    @QueryHandler
    public MeasurementPage handle(ListMeasurementsQuery query) {
        return page(query.bondId(), query.status(), query.evaluatorId(), null, query.page(), query.size());
    }

    @QueryHandler
    public Optional<MeasurementView> handle(FindMeasurementQuery query) {
        return page(query.bondId(), null, null, query.measurementId(), 0, 1).items().stream().findFirst();
    }

    private MeasurementPage page(String bondId, String status, String evaluatorId, String measurementId, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE m.bond_id = ?");
        List<Object> args = new ArrayList<>(List.of(bondId));
        for (String[] filter : new String[][]{{"m.status", status}, {"m.evaluator_id", evaluatorId},
                {"m.measurement_id", measurementId}}) {
            if (filter[1] != null) {
                where.append(" AND ").append(filter[0]).append(" = ?");
                args.add(filter[1]);
            }
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM measurement_view m" + where, Long.class, args.toArray());
        args.add(size);
        args.add((long) page * size);
        List<MeasurementView> items = jdbc.query("""
                SELECT m.*, coalesce(sum(p.payable) FILTER (WHERE NOT p.cancelled), 0) AS payable,
                       coalesce(sum(p.capped) FILTER (WHERE NOT p.cancelled), 0) AS capped
                FROM measurement_view m LEFT JOIN measurement_payout p
                  ON p.bond_id = m.bond_id AND p.measurement_id = m.measurement_id""" + where
                + " GROUP BY m.bond_id, m.measurement_id ORDER BY m.sequence LIMIT ? OFFSET ?", ROW, args.toArray());
        return new MeasurementPage(items, page, size, total == null ? 0 : total);
    }

    private void decide(String bondId, String measurementId, String status, String payerId, String reason, Instant at,
                        String fromStatuses) {
        rows.update(List.of(measurement(bondId, measurementId)), "UPDATE measurement_view SET status = ?, decided_by = ?, reason = ?, decided_at = ?"
                        + " WHERE bond_id = ? AND measurement_id = ? AND status IN (" + fromStatuses + ")",
                status, payerId, reason, Timestamp.from(at), bondId, measurementId);
    }

    /** What a list shows of a measurement without opening it. */
    private record Summary(String type, String metric, String cohortId, String period, int units, Set<String> evidenceRefs) {

        static Summary of(Measurement measurement, String evidenceRef) {
            Set<String> evidence = new LinkedHashSet<>();
            if (evidenceRef != null) {
                evidence.add(evidenceRef);
            }
            if (measurement instanceof Measurement.OutcomeClaims claims) {
                Set<String> metrics = new LinkedHashSet<>();
                claims.claims().forEach(c -> {
                    metrics.add(c.metric());
                    if (c.evidenceRef() != null) {
                        evidence.add(c.evidenceRef());
                    }
                });
                return new Summary("OUTCOME_CLAIMS", metrics.size() == 1 ? metrics.iterator().next() : null, null, null,
                        claims.claims().size(), evidence);
            }
            if (measurement instanceof Measurement.CohortResult result) {
                return new Summary("COHORT_RESULT", result.metric(), result.cohortId(), result.period(), 1, evidence);
            }
            if (measurement instanceof Measurement.TargetResult result) {
                return new Summary("TARGET_RESULT", result.metric(), null, null, 1, evidence);
            }
            return new Summary("SAVINGS", null, null, ((Measurement.Savings) measurement).period(), 1, evidence);
        }
    }

    private static final RowMapper<MeasurementView> ROW = (rs, i) -> {
        String currency = rs.getString("currency");
        Timestamp decided = rs.getTimestamp("decided_at");
        return new MeasurementView(rs.getString("bond_id"), rs.getString("measurement_id"), rs.getString("evaluator_id"),
                rs.getString("type"), rs.getString("metric"), rs.getString("cohort_id"), rs.getString("period"),
                rs.getInt("units"), read(rs.getString("evidence_refs"), List.class),
                read(rs.getString("measurement"), Measurement.class), rs.getString("supersedes"),
                rs.getString("superseded_by"), rs.getString("status"), rs.getString("decided_by"), rs.getString("reason"),
                rs.getTimestamp("submitted_at").toInstant(), decided == null ? null : decided.toInstant(),
                StoredMoney.of(rs.getBigDecimal("payable"), currency), StoredMoney.of(rs.getBigDecimal("capped"), currency));
    };

    @SuppressWarnings("unchecked")
    private static <T> T read(String json, Class<?> type) {
        try {
            return (T) JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
