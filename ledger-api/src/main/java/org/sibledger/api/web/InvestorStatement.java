package org.sibledger.api.web;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.performance.PerformanceView;
import org.sibledger.core.waterfall.CashFlow;
import org.sibledger.core.waterfall.MoneyMultiple;
import org.sibledger.core.waterfall.Xirr;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An investor's statement across its bonds, as its page and its exports show it: per bond and tranche what it
 * committed, was called for, funded and received, its money multiple and IRR (or why there is none yet), totals per
 * currency, and per bond the outcome payments the terms can pay against those triggered and settled. Built only from
 * what {@link org.sibledger.api.security.Visibility} gave the investor: its own portfolio and its bonds' totals.
 */
public record InvestorStatement(String investorId, List<Line> lines, List<Total> totals, List<Payments> payments) {

    /**
     * Why an IRR cannot be computed yet, as a message key: nothing funded, nothing received back, or flows from which
     * no rate follows. Null when there is an IRR.
     */
    public record Line(String bondId, String bondName, String tranche, Money committed, Money called, Money funded,
                       Money distributed, BigDecimal multiple, BigDecimal irr, String irrNote,
                       List<PortfolioRecord.CashFlow> cashFlows) {
    }

    /** All positions in one currency: the sums, and the multiple and IRR of all their cash flows together. */
    public record Total(String currency, Money committed, Money called, Money funded, Money distributed,
                       BigDecimal multiple, BigDecimal irr, String irrNote) {
    }

    /**
     * A bond's outcome payments: the most its terms can pay ({@code maximum}, null when the terms set no limit), what
     * approved outcomes triggered, what the payers settled, and what is due (triggered, not settled).
     */
    public record Payments(String bondId, String bondName, Money maximum, Money triggered, Money settled, Money due) {
    }

    public static InvestorStatement of(String investorId, PortfolioRecord portfolio, Map<String, BondView> bonds,
                                       Map<String, PerformanceView> performance) {
        List<Line> lines = new ArrayList<>();
        Map<String, List<PortfolioRecord.Position>> byCurrency = new TreeMap<>();
        for (PortfolioRecord.Position p : portfolio.positions()) {
            String currency = p.currency();
            BigDecimal paidIn = p.funded().add(p.guaranteePaid());
            BigDecimal received = received(p);
            lines.add(new Line(p.bondId(), p.bondName(), p.tranche(), money(p.committed(), currency),
                    money(p.called(), currency), money(p.funded(), currency), money(received, currency),
                    MoneyMultiple.of(paidIn, received).orElse(null), irr(p.cashFlows()).orElse(null),
                    irrNote(paidIn, received, p.cashFlows()), p.cashFlows()));
            byCurrency.computeIfAbsent(currency, c -> new ArrayList<>()).add(p);
        }
        List<Total> totals = new ArrayList<>();
        byCurrency.forEach((currency, positions) -> {
            BigDecimal paidIn = sum(positions, p -> p.funded().add(p.guaranteePaid()));
            BigDecimal received = sum(positions, InvestorStatement::received);
            List<PortfolioRecord.CashFlow> flows = new ArrayList<>();
            positions.forEach(p -> flows.addAll(p.cashFlows()));
            totals.add(new Total(currency, money(sum(positions, PortfolioRecord.Position::committed), currency),
                    money(sum(positions, PortfolioRecord.Position::called), currency),
                    money(sum(positions, PortfolioRecord.Position::funded), currency), money(received, currency),
                    MoneyMultiple.of(paidIn, received).orElse(null), irr(flows).orElse(null),
                    irrNote(paidIn, received, flows)));
        });
        List<Payments> payments = new ArrayList<>();
        for (BondView bond : bonds.values()) {
            PerformanceView view = performance.get(bond.bondId());
            if (view == null) {
                continue;
            }
            Money triggered = view.total().triggered();
            Money settled = view.total().settled();
            payments.add(new Payments(bond.bondId(), bond.name(), maximum(bond.terms()).map(m -> money(m, bond.currency()))
                    .orElse(null), triggered, settled, money(triggered.amount().subtract(settled.amount()).max(BigDecimal.ZERO),
                    bond.currency())));
        }
        return new InvestorStatement(investorId, lines, totals, payments);
    }

    /** What the investor received: distributions (principal and return) and guarantee payments. */
    private static BigDecimal received(PortfolioRecord.Position p) {
        return p.distributedPrincipal().add(p.distributedReturn()).add(p.guaranteeReceived());
    }

    private static Optional<BigDecimal> irr(List<PortfolioRecord.CashFlow> flows) {
        return Xirr.of(flows.stream().map(f -> new CashFlow(f.date(), f.amount()))
                .sorted(Comparator.comparing(CashFlow::date)).toList());
    }

    private static String irrNote(BigDecimal paidIn, BigDecimal received, List<PortfolioRecord.CashFlow> flows) {
        if (irr(flows).isPresent()) {
            return null;
        }
        if (paidIn.signum() == 0) {
            return "investor.irr.nothingFunded";
        }
        if (received.signum() == 0) {
            return "investor.irr.nothingReceived";
        }
        return "investor.irr.undefined";
    }

    /**
     * The most the terms can pay for outcomes: the contract cap, else the mechanism's own limit (a weighted targets'
     * maximum outcome payment, a graduated scale's highest tier, a mechanism cap), else the payers' caps when every
     * payer has one; empty when nothing in the terms limits it.
     */
    static Optional<BigDecimal> maximum(BondTerms terms) {
        if (terms.contractCap() != null) {
            return Optional.of(terms.contractCap());
        }
        PaymentMechanism mechanism = terms.paymentMechanism();
        BigDecimal limit = null;
        if (mechanism instanceof PaymentMechanism.WeightedTargets weighted) {
            limit = weighted.maximumOutcomePayment();
        } else if (mechanism instanceof PaymentMechanism.Graduated graduated) {
            limit = graduated.tiers().stream().map(PaymentMechanism.GraduatedTier::payment).max(Comparator.naturalOrder())
                    .orElse(null);
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison threshold) {
            limit = threshold.cap();
        } else if (mechanism instanceof PaymentMechanism.SavingsShare share) {
            limit = share.cap();
        }
        if (limit != null) {
            return Optional.of(limit);
        }
        List<BondTerms.OutcomePayer> payers = terms.parties().outcomePayers();
        if (!payers.isEmpty() && payers.stream().allMatch(p -> p.cap() != null)) {
            return Optional.of(payers.stream().map(BondTerms.OutcomePayer::cap).reduce(BigDecimal.ZERO, BigDecimal::add));
        }
        return Optional.empty();
    }

    /** What the investor received from a position (its positive cash flows), by day. */
    static Map<LocalDate, BigDecimal> received(List<PortfolioRecord.CashFlow> flows) {
        Map<LocalDate, BigDecimal> in = new LinkedHashMap<>();
        flows.stream().filter(f -> f.amount().signum() > 0).sorted(Comparator.comparing(PortfolioRecord.CashFlow::date))
                .forEach(f -> in.merge(f.date(), f.amount(), BigDecimal::add));
        return in;
    }

    private static BigDecimal sum(List<PortfolioRecord.Position> positions,
                                  java.util.function.Function<PortfolioRecord.Position, BigDecimal> of) {
        return positions.stream().map(of).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static Money money(BigDecimal amount, String currency) {
        return new Money(amount.setScale(Math.max(amount.scale(), 2), java.math.RoundingMode.UNNECESSARY), currency);
    }
}
