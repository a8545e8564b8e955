package org.sibledger.projections.payouts;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.payout.ListPayoutsQuery;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutPage;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.projections.common.BatchedWrites;
import org.sibledger.projections.common.StoredMoney;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * The payouts read model: each payout with its measurement, rule, amounts after caps and status (TRIGGERED, HELD
 * while its measurement is disputed, SETTLED, CANCELLED). Written with plain JDBC in the processor's transaction;
 * inserts ignore a redelivered event and every update states the status it moves from, so replays change nothing.
 */
@Component
@ProcessingGroup(PayoutProjection.PROCESSING_GROUP)
public class PayoutProjection {

    public static final String PROCESSING_GROUP = "payouts";

    private final JdbcTemplate jdbc;

    /** Every write goes in the batch's JDBC batches: no handler reads this read model back. */
    private final BatchedWrites rows;

    public PayoutProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.rows = new BatchedWrites(jdbc);
    }

    /**
     * The keys of a write (see {@link BatchedWrites}): the bond's currency row, and the bond's payouts as a whole,
     * because a settlement names a payout and a dispute a measurement, and both may change the same row.
     */
    private static String currency(String bondId) {
        return "currency|" + bondId;
    }

    private static String payouts(String bondId) {
        return "payouts|" + bondId;
    }

    /** The currency of each bond, kept here so this projection never reads another one's tables. */
    @EventHandler
    void on(BondStructuredEvent event) {
        rows.update(List.of(currency(event.bondId())), "INSERT INTO payout_bond (bond_id, currency) VALUES (?, ?) ON CONFLICT DO NOTHING",
                event.bondId(), event.terms().currency());
    }

    @EventHandler
    void on(PayoutTriggeredEvent event, @Timestamp Instant at, @SequenceNumber long sequence) {
        rows.update(List.of(currency(event.bondId()), payouts(event.bondId())), """
                        INSERT INTO payout_view (payout_id, bond_id, measurement_id, payer_id, metric, cohort_id,
                            participant_ref, currency, gross, payable, capped, rule, status, triggered_at, bond_sequence,
                            terms_version)
                        SELECT ?, ?, ?, ?, ?, ?, ?, currency, ?, ?, ?, ?, 'TRIGGERED', ?, ?, CAST(? AS INTEGER) FROM payout_bond WHERE bond_id = ?
                        ON CONFLICT (payout_id) DO NOTHING""",
                event.payoutId(), event.bondId(), event.measurementId(), event.payerId(), event.metric(),
                event.cohortId(), event.participantRef(), event.gross(), event.payable(), event.capped(), event.rule(),
                java.sql.Timestamp.from(at), sequence, event.termsVersion(), event.bondId());
    }

    @EventHandler
    void on(PayoutSettledEvent event, @Timestamp Instant at) {
        rows.update(List.of(payouts(event.bondId())), "UPDATE payout_view SET status = 'SETTLED', settled_at = ? WHERE payout_id = ? AND status = 'TRIGGERED'",
                java.sql.Timestamp.from(at), event.payoutId());
    }

    @EventHandler
    void on(PayoutCancelledEvent event) {
        rows.update(List.of(payouts(event.bondId())), "UPDATE payout_view SET status = 'CANCELLED' WHERE payout_id = ? AND status IN ('TRIGGERED', 'HELD')",
                event.payoutId());
    }

    @EventHandler
    void on(MeasurementDisputedEvent event) {
        rows.update(List.of(payouts(event.bondId())), "UPDATE payout_view SET status = 'HELD' WHERE bond_id = ? AND measurement_id = ? AND status = 'TRIGGERED'",
                event.bondId(), event.measurementId());
    }

    @EventHandler
    void on(DisputeResolvedEvent event) {
        if (event.resolution() == DisputeResolution.UPHOLD) {
            rows.update(List.of(payouts(event.bondId())), "UPDATE payout_view SET status = 'TRIGGERED' WHERE bond_id = ? AND measurement_id = ? AND status = 'HELD'",
                    event.bondId(), event.measurementId());
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM payout_view");
        jdbc.update("DELETE FROM payout_bond");
    }

    @QueryHandler
    public PayoutPage handle(ListPayoutsQuery query) {
        String payer = query.payerId();
        String where = payer == null ? " WHERE bond_id = ?" : " WHERE bond_id = ? AND payer_id = ?";
        Object[] keys = payer == null ? new Object[] {query.bondId()} : new Object[] {query.bondId(), payer};
        List<Object> paged = new java.util.ArrayList<>(List.of(keys));
        paged.add(query.size());
        paged.add((long) query.page() * query.size());
        List<PayoutView> items = jdbc.query(SELECT + where + " ORDER BY bond_sequence, payout_id LIMIT ? OFFSET ?", ROW,
                paged.toArray());
        Long total = jdbc.queryForObject("SELECT count(*) FROM payout_view" + where, Long.class, keys);
        return new PayoutPage(items, query.page(), query.size(), total == null ? 0 : total, totals(query.bondId()));
    }

    /** The bond's totals over every payer's lines, or null while it has none. */
    private PayoutPage.Totals totals(String bondId) {
        List<PayoutPage.Totals> totals = jdbc.query("""
                        SELECT min(currency) AS currency, count(*) AS lines,
                               coalesce(sum(payable) FILTER (WHERE status <> 'CANCELLED'), 0) AS booked,
                               coalesce(sum(payable) FILTER (WHERE status = 'SETTLED'), 0) AS settled,
                               coalesce(sum(capped) FILTER (WHERE status <> 'CANCELLED'), 0) AS capped
                        FROM payout_view WHERE bond_id = ? HAVING count(*) > 0""",
                (rs, i) -> {
                    String currency = rs.getString("currency");
                    return new PayoutPage.Totals(StoredMoney.of(rs.getBigDecimal("booked"), currency),
                            StoredMoney.of(rs.getBigDecimal("settled"), currency),
                            StoredMoney.of(rs.getBigDecimal("capped"), currency), rs.getLong("lines"));
                }, bondId);
        return totals.isEmpty() ? null : totals.get(0);
    }

    private static final String SELECT = """
            SELECT payout_id, bond_id, measurement_id, payer_id, metric, cohort_id, participant_ref, currency, gross,
                   payable, capped, rule, status, triggered_at, settled_at, terms_version FROM payout_view""";

    private static final RowMapper<PayoutView> ROW = (rs, i) -> {
        String currency = rs.getString("currency");
        java.sql.Timestamp settled = rs.getTimestamp("settled_at");
        return new PayoutView(rs.getString("payout_id"), rs.getString("bond_id"), rs.getString("measurement_id"),
                rs.getString("payer_id"), rs.getString("metric"), rs.getString("cohort_id"), rs.getString("participant_ref"),
                StoredMoney.of(rs.getBigDecimal("gross"), currency),
                StoredMoney.of(rs.getBigDecimal("payable"), currency),
                StoredMoney.of(rs.getBigDecimal("capped"), currency),
                rs.getString("rule"), rs.getString("status"), rs.getTimestamp("triggered_at").toInstant(),
                settled == null ? null : settled.toInstant(), (Integer) rs.getObject("terms_version"));
    };
}
