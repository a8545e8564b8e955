package org.sibledger.projections.liabilities;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.queryhandling.QueryHandler;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.payout.FindLiabilitiesQuery;
import org.sibledger.contracts.payout.LiabilitiesView;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.projections.common.StoredMoney;
import org.sibledger.projections.common.BatchedWrites;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The liabilities read model: each outcome payer's payouts by status (due: approved and not settled; held while
 * disputed; settled) against its cap and the contract cap of the terms in force. Status updates name the statuses
 * they move from and terms are replaced only by later ones, so a redelivered event changes nothing.
 */
@Component
@ProcessingGroup(LiabilityProjection.PROCESSING_GROUP)
public class LiabilityProjection {

    public static final String PROCESSING_GROUP = "liabilities";

    private final JdbcTemplate jdbc;
    /**
     * The payouts' rows go in the batch's JDBC batches: no handler reads them back. The bond and payer rows are
     * written at once, because their handlers need the row counts; they never touch the payouts' table.
     */
    private final BatchedWrites payouts;

    public LiabilityProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.payouts = new BatchedWrites(jdbc);
    }

    /**
     * The key of a payout row's write (see {@link BatchedWrites}): the bond's payouts as a whole, because a settlement
     * names a payout and a dispute a measurement, and both may change the same row.
     */
    private static List<String> bondPayouts(String bondId) {
        return List.of("payouts|" + bondId);
    }

    @EventHandler
    void on(BondStructuredEvent event, @SequenceNumber long sequence) {
        int inserted = jdbc.update("""
                        INSERT INTO liability_bond (bond_id, currency, contract_cap, terms_sequence) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""",
                event.bondId(), event.terms().currency(), event.terms().contractCap(), sequence);
        if (inserted == 1) {
            payers(event.bondId(), event.terms());
        }
    }

    @EventHandler
    void on(TermsAmendedEvent event, @SequenceNumber long sequence) {
        int updated = jdbc.update("""
                        UPDATE liability_bond SET contract_cap = ?, terms_sequence = ? WHERE bond_id = ? AND terms_sequence < ?""",
                event.terms().contractCap(), sequence, event.bondId(), sequence);
        if (updated == 1) {
            jdbc.update("DELETE FROM liability_payer WHERE bond_id = ?", event.bondId());
            payers(event.bondId(), event.terms());
        }
    }

    @EventHandler
    void on(PayoutTriggeredEvent event) {
        payouts.update(bondPayouts(event.bondId()), """
                        INSERT INTO liability_payout (payout_id, bond_id, payer_id, measurement_id, payable, status)
                        VALUES (?, ?, ?, ?, ?, 'DUE') ON CONFLICT DO NOTHING""",
                event.payoutId(), event.bondId(), event.payerId(), event.measurementId(), event.payable());
    }

    @EventHandler
    void on(PayoutSettledEvent event) {
        payouts.update(bondPayouts(event.bondId()), "UPDATE liability_payout SET status = 'SETTLED' WHERE payout_id = ? AND status = 'DUE'", event.payoutId());
    }

    @EventHandler
    void on(PayoutCancelledEvent event) {
        payouts.update(bondPayouts(event.bondId()), "UPDATE liability_payout SET status = 'CANCELLED' WHERE payout_id = ? AND status IN ('DUE', 'HELD')",
                event.payoutId());
    }

    @EventHandler
    void on(MeasurementDisputedEvent event) {
        payouts.update(bondPayouts(event.bondId()), "UPDATE liability_payout SET status = 'HELD' WHERE bond_id = ? AND measurement_id = ? AND status = 'DUE'",
                event.bondId(), event.measurementId());
    }

    @EventHandler
    void on(DisputeResolvedEvent event) {
        if (event.resolution() == DisputeResolution.UPHOLD) {
            payouts.update(bondPayouts(event.bondId()), "UPDATE liability_payout SET status = 'DUE' WHERE bond_id = ? AND measurement_id = ? AND status = 'HELD'",
                    event.bondId(), event.measurementId());
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM liability_payout");
        jdbc.update("DELETE FROM liability_payer");
        jdbc.update("DELETE FROM liability_bond");
    }

    @QueryHandler
    public Optional<LiabilitiesView> handle(FindLiabilitiesQuery query) {
        return jdbc.query("SELECT currency, contract_cap FROM liability_bond WHERE bond_id = ?", rs -> {
            if (!rs.next()) {
                return Optional.<LiabilitiesView>empty();
            }
            String currency = rs.getString("currency");
            BigDecimal contractCap = rs.getBigDecimal("contract_cap");
            List<LiabilitiesView.PayerLiability> payers = new ArrayList<>();
            jdbc.query("""
                    SELECT p.payer_id, p.share, p.cap,
                        coalesce(sum(o.payable) FILTER (WHERE o.status = 'DUE'), 0) AS due,
                        coalesce(sum(o.payable) FILTER (WHERE o.status = 'HELD'), 0) AS held,
                        coalesce(sum(o.payable) FILTER (WHERE o.status = 'SETTLED'), 0) AS settled
                    FROM liability_payer p LEFT JOIN liability_payout o ON o.bond_id = p.bond_id AND o.payer_id = p.payer_id
                    WHERE p.bond_id = ? AND (?::varchar IS NULL OR p.payer_id = ?)
                    GROUP BY p.payer_id, p.share, p.cap ORDER BY p.payer_id""", row -> {
                BigDecimal cap = row.getBigDecimal("cap");
                BigDecimal used = row.getBigDecimal("due").add(row.getBigDecimal("held")).add(row.getBigDecimal("settled"));
                payers.add(new LiabilitiesView.PayerLiability(row.getString("payer_id"), StoredMoney.plain(row.getBigDecimal("share")),
                        StoredMoney.of(row.getBigDecimal("due"), currency), StoredMoney.of(row.getBigDecimal("held"), currency),
                        StoredMoney.of(row.getBigDecimal("settled"), currency), cap == null ? null : StoredMoney.of(cap, currency),
                        cap == null ? null : StoredMoney.of(cap.subtract(used).max(BigDecimal.ZERO), currency)));
            }, query.bondId(), query.payerId(), query.payerId());
            BigDecimal used = jdbc.queryForObject("""
                    SELECT coalesce(sum(payable), 0) FROM liability_payout WHERE bond_id = ? AND status <> 'CANCELLED'""",
                    BigDecimal.class, query.bondId());
            Money cap = contractCap == null ? null : StoredMoney.of(contractCap, currency);
            return Optional.of(new LiabilitiesView(query.bondId(), currency, payers, cap, StoredMoney.of(used, currency),
                    contractCap == null ? null : StoredMoney.of(contractCap.subtract(used).max(BigDecimal.ZERO), currency)));
        }, query.bondId());
    }

    private void payers(String bondId, BondTerms terms) {
        for (BondTerms.OutcomePayer payer : terms.parties().outcomePayers()) {
            jdbc.update("INSERT INTO liability_payer (bond_id, payer_id, share, cap) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    bondId, payer.id(), payer.share(), payer.cap());
        }
    }
}
