package org.sibledger.core.waterfall;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One investor's position in one tranche, folded from its events: committed, called, funded, distributed as
 * principal and as return, and the dated cash flows (fundings negative, distributions positive) from which its
 * money multiple and IRR follow. The waterfall reads positions; the portfolio read model shows them.
 *
 * <p>Amounts are exact decimals; the waterfall expects them booked in the currency's minor units.
 */
public record InvestorPosition(
        String investorId,
        String trancheId,
        BigDecimal committed,
        BigDecimal called,
        BigDecimal funded,
        BigDecimal distributedPrincipal,
        BigDecimal distributedReturn,
        List<CashFlow> cashFlows) {

    public InvestorPosition {
        Objects.requireNonNull(investorId, "investorId");
        Objects.requireNonNull(trancheId, "trancheId");
        committed = committed == null ? BigDecimal.ZERO : committed;
        called = called == null ? BigDecimal.ZERO : called;
        funded = funded == null ? BigDecimal.ZERO : funded;
        distributedPrincipal = distributedPrincipal == null ? BigDecimal.ZERO : distributedPrincipal;
        distributedReturn = distributedReturn == null ? BigDecimal.ZERO : distributedReturn;
        cashFlows = cashFlows == null ? List.of() : List.copyOf(cashFlows);
    }

    /** A position before anything has happened to it. */
    public static InvestorPosition open(String investorId, String trancheId) {
        return new InvestorPosition(investorId, trancheId, null, null, null, null, null, null);
    }

    /** A commitment made, increased (positive) or withdrawn (negative). */
    public InvestorPosition committed(BigDecimal amount) {
        return new InvestorPosition(investorId, trancheId, committed.add(amount), called, funded,
                distributedPrincipal, distributedReturn, cashFlows);
    }

    public InvestorPosition called(BigDecimal amount) {
        return new InvestorPosition(investorId, trancheId, committed, called.add(amount), funded,
                distributedPrincipal, distributedReturn, cashFlows);
    }

    public InvestorPosition funded(LocalDate date, BigDecimal amount) {
        return new InvestorPosition(investorId, trancheId, committed, called, funded.add(amount),
                distributedPrincipal, distributedReturn, with(new CashFlow(date, amount.negate())));
    }

    public InvestorPosition distributed(LocalDate date, BigDecimal principal, BigDecimal investorReturn) {
        return new InvestorPosition(investorId, trancheId, committed, called, funded,
                distributedPrincipal.add(principal), distributedReturn.add(investorReturn),
                with(new CashFlow(date, principal.add(investorReturn))));
    }

    public BigDecimal uncalledCommitment() {
        return committed.subtract(called);
    }

    /** Funded principal not yet paid back. */
    public BigDecimal outstandingPrincipal() {
        return funded.subtract(distributedPrincipal);
    }

    public BigDecimal distributed() {
        return distributedPrincipal.add(distributedReturn);
    }

    /** Distributed over funded; empty before anything is funded. */
    public Optional<BigDecimal> multiple() {
        return MoneyMultiple.of(funded, distributed());
    }

    /** XIRR of the realised cash flows; empty until money has gone both ways. */
    public Optional<BigDecimal> irr() {
        return Xirr.of(cashFlows);
    }

    private List<CashFlow> with(CashFlow flow) {
        if (flow.amount().signum() == 0) {
            return cashFlows;
        }
        List<CashFlow> flows = new ArrayList<>(cashFlows);
        flows.add(flow);
        return flows;
    }
}
