package org.sibledger.projections.portfolio;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.investment.CallAllocation;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.CommitmentIncreasedEvent;
import org.sibledger.contracts.investment.CommitmentMadeEvent;
import org.sibledger.contracts.investment.CommitmentWithdrawnEvent;
import org.sibledger.contracts.investment.DistributionLine;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FindPortfolioQuery;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.investment.GuaranteePaymentLine;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.projections.common.StoredMoney;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The portfolio read model: each investor's dated amounts per bond and tranche (committed, called, funded,
 * distributed as principal and as return, guarantee paid and received), append-only and keyed by the event's place
 * in its bond's stream, so a redelivered event adds nothing. Multiples and IRR are computed from these when read.
 */
@Component
@ProcessingGroup(PortfolioProjection.PROCESSING_GROUP)
public class PortfolioProjection {

    public static final String PROCESSING_GROUP = "portfolio";

    private final JdbcTemplate jdbc;

    public PortfolioProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(BondStructuredEvent event) {
        jdbc.update("INSERT INTO portfolio_bond (bond_id, name, currency) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                event.bondId(), event.terms().name(), event.terms().currency());
    }

    @EventHandler
    void on(TermsAmendedEvent event) {
        jdbc.update("UPDATE portfolio_bond SET name = ? WHERE bond_id = ?", event.terms().name(), event.bondId());
    }

    @EventHandler
    void on(CommitmentMadeEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        line(event.bondId(), sequence, 0, event.investorId(), event.tranche(), "COMMITTED", event.amount(), day(at));
    }

    @EventHandler
    void on(CommitmentIncreasedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        line(event.bondId(), sequence, 0, event.investorId(), event.tranche(), "COMMITTED", event.amount(), day(at));
    }

    @EventHandler
    void on(CommitmentWithdrawnEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        line(event.bondId(), sequence, 0, event.investorId(), event.tranche(), "COMMITTED", event.amount().negate(), day(at));
    }

    @EventHandler
    void on(CapitalCalledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        int n = 0;
        for (CallAllocation allocation : event.allocations()) {
            line(event.bondId(), sequence, n++, allocation.investorId(), allocation.tranche(), "CALLED",
                    allocation.amount(), day(at));
        }
    }

    @EventHandler
    void on(CapitalCallFundedEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        line(event.bondId(), sequence, 0, event.investorId(), event.tranche(), "FUNDED", event.amount(),
                event.fundedOn() == null ? day(at) : event.fundedOn());
    }

    @EventHandler
    void on(DistributionMadeEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        LocalDate date = event.date() == null ? day(at) : event.date();
        int n = 0;
        for (DistributionLine distribution : event.lines()) {
            line(event.bondId(), sequence, n++, distribution.investorId(), distribution.tranche(), "PRINCIPAL",
                    distribution.principal(), date);
            line(event.bondId(), sequence, n++, distribution.investorId(), distribution.tranche(), "RETURN",
                    distribution.investorReturn(), date);
        }
    }

    @EventHandler
    void on(GuaranteeCalledEvent event, @SequenceNumber long sequence, @Timestamp Instant at) {
        LocalDate date = event.date() == null ? day(at) : event.date();
        int n = 0;
        for (GuaranteePaymentLine payment : event.payments()) {
            line(event.bondId(), sequence, n++, payment.investorId(), payment.tranche(), "GUARANTEE_RECEIVED",
                    payment.amount(), date);
            line(event.bondId(), sequence, n++, payment.guarantorId(), payment.guaranteeTranche(), "GUARANTEE_PAID",
                    payment.amount(), date);
        }
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM portfolio_line");
        jdbc.update("DELETE FROM portfolio_bond");
    }

    @QueryHandler
    public PortfolioRecord handle(FindPortfolioQuery query) {
        Map<List<String>, Map<String, BigDecimal>> sums = new LinkedHashMap<>();
        Map<List<String>, TreeMap<LocalDate, BigDecimal>> flows = new LinkedHashMap<>();
        Map<String, String[]> bonds = new LinkedHashMap<>();
        jdbc.query("""
                SELECT l.bond_id, b.name, b.currency, l.tranche, l.kind, l.amount, l.on_date
                FROM portfolio_line l JOIN portfolio_bond b ON b.bond_id = l.bond_id
                WHERE l.investor_id = ? ORDER BY l.bond_id, l.tranche, l.sequence, l.line""", rs -> {
            List<String> key = List.of(rs.getString("bond_id"), rs.getString("tranche"));
            bonds.put(key.get(0), new String[]{rs.getString("name"), rs.getString("currency")});
            String kind = rs.getString("kind");
            BigDecimal amount = rs.getBigDecimal("amount");
            sums.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(kind, amount, BigDecimal::add);
            BigDecimal flow = switch (kind) {
                case "FUNDED", "GUARANTEE_PAID" -> amount.negate();
                case "PRINCIPAL", "RETURN", "GUARANTEE_RECEIVED" -> amount;
                default -> null;
            };
            if (flow != null && flow.signum() != 0) {
                flows.computeIfAbsent(key, k -> new TreeMap<>())
                        .merge(rs.getDate("on_date").toLocalDate(), flow, BigDecimal::add);
            }
        }, query.investorId());
        List<PortfolioRecord.Position> positions = new ArrayList<>();
        sums.forEach((key, byKind) -> {
            String[] bond = bonds.get(key.get(0));
            List<PortfolioRecord.CashFlow> cashFlows = new ArrayList<>();
            flows.getOrDefault(key, new TreeMap<>()).forEach((date, amount) ->
                    cashFlows.add(new PortfolioRecord.CashFlow(date, StoredMoney.plain(amount))));
            positions.add(new PortfolioRecord.Position(key.get(0), bond[0], bond[1], key.get(1),
                    sum(byKind, "COMMITTED"), sum(byKind, "CALLED"), sum(byKind, "FUNDED"), sum(byKind, "PRINCIPAL"),
                    sum(byKind, "RETURN"), sum(byKind, "GUARANTEE_RECEIVED"), sum(byKind, "GUARANTEE_PAID"), cashFlows));
        });
        return new PortfolioRecord(query.investorId(), positions);
    }

    private static BigDecimal sum(Map<String, BigDecimal> byKind, String kind) {
        return StoredMoney.plain(byKind.getOrDefault(kind, BigDecimal.ZERO));
    }

    private void line(String bondId, long sequence, int line, String investorId, String tranche, String kind,
                      BigDecimal amount, LocalDate date) {
        if (amount == null || investorId == null) {
            return;
        }
        jdbc.update("""
                        INSERT INTO portfolio_line (bond_id, sequence, line, investor_id, tranche, kind, amount, on_date)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                bondId, sequence, line, investorId, tranche == null ? "" : tranche, kind, amount, Date.valueOf(date));
    }

    private static LocalDate day(Instant at) {
        return at.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
