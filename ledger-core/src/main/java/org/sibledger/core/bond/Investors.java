package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.investment.CallAllocation;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.CommitmentIncreasedEvent;
import org.sibledger.contracts.investment.CommitmentMadeEvent;
import org.sibledger.contracts.investment.CommitmentWithdrawnEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionLine;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.FundsDisbursedEvent;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.investment.GuaranteePaymentLine;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.core.waterfall.CapitalCalls;
import org.sibledger.core.waterfall.Distribution;
import org.sibledger.core.waterfall.GuaranteeCall;
import org.sibledger.core.waterfall.InvestorPosition;
import org.sibledger.core.waterfall.Waterfall;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bond's investors and its cash, a member entity of the bond: each investor's position per tranche (committed,
 * called, funded, repaid), the capital calls, and the money in and out. Invariant: money in (funded capital,
 * settled payouts, guarantee payments) = money out (disbursements, distributions, guarantee payments) + cash held,
 * and a decision here never lets the cash held go negative.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Investors {

    private Map<String, InvestorPosition> positions = new LinkedHashMap<>();
    private Map<String, Call> calls = new LinkedHashMap<>();
    private BigDecimal moneyIn = BigDecimal.ZERO;
    private BigDecimal moneyOut = BigDecimal.ZERO;
    private List<String> disbursements = new ArrayList<>();
    private List<String> distributions = new ArrayList<>();
    private boolean guaranteeCalled;

    /** A capital call: each position's allocation and what of it is funded, and the day it is due by. */
    record Call(String callId, LocalDate dueDate, Map<String, BigDecimal> allocated, Map<String, BigDecimal> funded) {
        BigDecimal fundedOf(String key) {
            return funded.getOrDefault(key, BigDecimal.ZERO);
        }
    }

    static String positionKey(String investorId, String tranche) {
        return investorId + "/" + tranche;
    }

    // ---------------------------------------------------------------- decisions

    CommitmentMadeEvent commit(String bondId, String investor, String tranche, BigDecimal amount) {
        if (positions.containsKey(positionKey(investor, tranche))) {
            throw Refusals.conflict("commitment-exists", investor + " already has a commitment in tranche '"
                    + tranche + "'; increase it instead").with(investor, tranche);
        }
        requireBondTotalWithin(amount);
        return new CommitmentMadeEvent(bondId, investor, tranche, amount);
    }

    /**
     * The bond's commitments together are money too, recorded as such when it opens: a commitment or increase that
     * would bring them to 10^15 or more is refused here, where the investor can be told, rather than the opening.
     */
    private void requireBondTotalWithin(BigDecimal amount) {
        if (amount == null) {
            return;
        }
        BigDecimal total = committed().add(amount);
        if (Bounds.money("/amount", total) != null) {
            throw Refusals.invalid(Bounds.AMOUNT_OUT_OF_RANGE, "/amount", "would bring the bond's commitments to "
                    + Bounds.shown(total) + ", more than the largest amount the ledger books (below 10^"
                    + Bounds.INTEGER_DIGITS + ")").worded("commitments", Bounds.shown(total));
        }
    }

    CommitmentIncreasedEvent increase(String bondId, String investor, String tranche, BigDecimal amount, String currency) {
        InvestorPosition position = requirePosition(investor, tranche);
        Refusals.requireAmount("/amount", amount, currency);
        BigDecimal total = position.committed().add(amount);
        if (Bounds.money("/amount", total) != null) {
            // the increase is in range, but the commitment it makes is money too, and bounded as any amount
            throw Refusals.invalid(Bounds.AMOUNT_OUT_OF_RANGE, "/amount", "would bring " + investor
                    + "'s commitment in tranche '" + tranche + "' to " + Bounds.shown(total)
                    + ", more than the largest amount the ledger books (below 10^" + Bounds.INTEGER_DIGITS + ")")
                            .worded("commitment", investor, tranche, Bounds.shown(total));
        }
        requireBondTotalWithin(amount);
        return new CommitmentIncreasedEvent(bondId, investor, tranche, amount, total);
    }

    CommitmentWithdrawnEvent withdraw(String bondId, String investor, String tranche) {
        return new CommitmentWithdrawnEvent(bondId, investor, tranche, requirePosition(investor, tranche).committed());
    }

    /** A capital call split pro rata over the uncalled commitments (a guarantee is never called for capital). */
    CapitalCalledEvent call(String bondId, BondTerms terms, CallCapitalCommand command) {
        Refusals.requireText("/callId", command.callId());
        if (calls.containsKey(command.callId())) {
            throw Refusals.conflict("call-exists", "Capital call '" + command.callId() + "' exists already")
                    .with(command.callId());
        }
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        Refusals.requireDate("/dueDate", command.dueDate());
        LinkedHashMap<String, BigDecimal> uncalled = new LinkedHashMap<>();
        positions.forEach((key, p) -> {
            BigDecimal remaining = p.committed().subtract(p.called());
            // a guarantee is called only at maturity, for a shortfall, never for capital
            if (remaining.signum() > 0 && !isGuarantee(terms, p.trancheId())) {
                uncalled.put(key, remaining);
            }
        });
        BigDecimal totalUncalled = uncalled.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (command.amount().compareTo(totalUncalled) > 0) {
            throw Refusals.invalid("call-exceeds-commitments", "/amount", "The call of " + command.amount().toPlainString()
                    + " exceeds the uncalled commitments of " + totalUncalled.toPlainString())
                            .with(new Money(command.amount(), terms.currency()), new Money(totalUncalled, terms.currency()));
        }
        List<CallAllocation> allocations = new ArrayList<>();
        CapitalCalls.allocate(command.amount(), uncalled, terms.currency()).forEach((key, amount) -> {
            InvestorPosition p = positions.get(key);
            if (amount.signum() > 0) {
                allocations.add(new CallAllocation(p.investorId(), p.trancheId(), amount));
            }
        });
        return new CapitalCalledEvent(bondId, command.callId(), command.amount(), command.dueDate(), allocations);
    }

    /** What the investor funds of a call: one event per tranche it was called in, in tranche order. */
    List<CapitalCallFundedEvent> fund(String bondId, String currency, String investor, FundCapitalCallCommand command,
                                      LocalDate today) {
        Call call = calls.get(command.callId());
        if (call == null) {
            throw Refusals.notFound("unknown-capital-call", "No capital call '" + command.callId() + "' on this bond")
                    .with(command.callId());
        }
        Refusals.requireAmount("/amount", command.amount(), currency);
        List<String> keys = call.allocated().keySet().stream().filter(k -> positions.get(k).investorId().equals(investor)).toList();
        if (keys.isEmpty()) {
            throw Refusals.conflict("not-called", investor + " has no share in capital call '" + command.callId() + "'")
                    .with(investor, command.callId());
        }
        BigDecimal outstanding = keys.stream().map(k -> call.allocated().get(k).subtract(call.fundedOf(k)))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        if (command.amount().compareTo(outstanding) > 0) {
            throw Refusals.invalid("overfunding", "/amount", "Only " + outstanding.toPlainString() + " "
                    + currency + " of this call is outstanding for " + investor)
                            .with(new Money(outstanding, currency), investor);
        }
        List<CapitalCallFundedEvent> funded = new ArrayList<>();
        BigDecimal left = command.amount();
        for (String key : keys) {
            BigDecimal part = left.min(call.allocated().get(key).subtract(call.fundedOf(key)));
            if (part.signum() > 0) {
                funded.add(new CapitalCallFundedEvent(bondId, command.callId(), investor, positions.get(key).trancheId(),
                        part, today));
                left = left.subtract(part);
            }
        }
        return funded;
    }

    FundsDisbursedEvent disburse(String bondId, BondTerms terms, DisburseFundsCommand command) {
        Refusals.requireText("/disbursementId", command.disbursementId());
        if (disbursements.contains(command.disbursementId())) {
            throw Refusals.conflict("disbursement-exists", "Disbursement '" + command.disbursementId() + "' exists already")
                    .with(command.disbursementId());
        }
        if (!terms.parties().serviceProviders().contains(command.providerId())) {
            throw Refusals.invalid("unknown-provider", "/providerId", "'" + command.providerId()
                    + "' is not a service provider of this bond").with(command.providerId());
        }
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        requireCash(command.amount(), terms.currency());
        return new FundsDisbursedEvent(bondId, command.disbursementId(), command.providerId(), command.amount());
    }

    DistributionMadeEvent distribute(String bondId, BondTerms terms, DistributeCommand command) {
        Refusals.requireText("/distributionId", command.distributionId());
        if (distributions.contains(command.distributionId())) {
            throw Refusals.conflict("distribution-exists", "Distribution '" + command.distributionId() + "' exists already")
                    .with(command.distributionId());
        }
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        Refusals.requireDate("/date", command.date());
        requireCash(command.amount(), terms.currency());
        Distribution distribution;
        try {
            distribution = Waterfall.distribute(terms.investorTerms(), List.copyOf(positions.values()), command.amount(),
                    command.date(), terms.currency());
        } catch (IllegalArgumentException e) {
            throw Refusals.invalid("invalid-distribution", e.getMessage()).with(e.getMessage());
        }
        return new DistributionMadeEvent(bondId, command.distributionId(), command.amount(), command.date(),
                distribution.lines(), distribution.leavingInvestors(), distribution.excessTo().name());
    }

    GuaranteeCalledEvent callGuarantees(String bondId, BondTerms terms, CallGuaranteeCommand command) {
        if (guaranteeCalled) {
            throw Refusals.conflict("guarantee-called", "The guarantees of this bond were called already");
        }
        Refusals.requireDate("/date", command.date());
        GuaranteeCall call;
        try {
            call = Waterfall.guaranteeCall(terms.investorTerms(), List.copyOf(positions.values()), terms.currency());
        } catch (IllegalArgumentException e) {
            throw Refusals.invalid("invalid-guarantee", e.getMessage()).with(e.getMessage());
        }
        if (call.payments().isEmpty()) {
            throw Refusals.conflict("nothing-to-guarantee", "No guarantee covers any unrepaid principal of this bond");
        }
        return new GuaranteeCalledEvent(bondId, command.date(), call.payments().stream()
                .map(p -> new GuaranteePaymentLine(p.guarantorId(), p.guaranteeTrancheId(), p.investorId(), p.trancheId(),
                        p.amount(), p.rule())).toList(), call.shortfall(), call.uncovered());
    }

    void requireCash(BigDecimal amount, String currency) {
        if (amount.compareTo(cash()) > 0) {
            throw Refusals.conflict("insufficient-cash", "The bond holds " + cash().toPlainString() + " "
                    + currency + ", less than " + amount.toPlainString())
                            .with(new Money(cash(), currency), new Money(amount, currency));
        }
    }

    private InvestorPosition requirePosition(String investorId, String tranche) {
        InvestorPosition position = positions.get(positionKey(investorId, tranche));
        if (position == null) {
            throw Refusals.notFound("no-commitment", investorId + " has no commitment in tranche '" + tranche + "'")
                    .with(investorId, tranche);
        }
        return position;
    }

    private static boolean isGuarantee(BondTerms terms, String trancheId) {
        return terms.investorTerms() != null && terms.investorTerms().tranches().stream()
                .anyMatch(t -> t.id().equals(trancheId) && t.kind() == BondTerms.Tranche.Kind.GUARANTEE);
    }

    // ---------------------------------------------------------------- state

    /** One investor's commitments and its shares of the capital calls; no other investor's figures. */
    InvestorStanding standing(String investor, boolean commitmentsOpen, boolean withdrawalsOpen) {
        List<InvestorStanding.Commitment> commitments = positions.values().stream()
                .filter(p -> p.investorId().equals(investor))
                .map(p -> new InvestorStanding.Commitment(p.trancheId(), p.committed(), p.called(), p.funded()))
                .toList();
        List<InvestorStanding.CallShare> shares = new ArrayList<>();
        for (Call call : calls.values()) {
            BigDecimal due = BigDecimal.ZERO;
            BigDecimal funded = BigDecimal.ZERO;
            boolean called = false;
            for (Map.Entry<String, BigDecimal> allocation : call.allocated().entrySet()) {
                InvestorPosition position = positions.get(allocation.getKey());
                if (position != null && position.investorId().equals(investor)) {
                    called = true;
                    due = due.add(allocation.getValue());
                    funded = funded.add(call.fundedOf(allocation.getKey()));
                }
            }
            if (called) {
                shares.add(new InvestorStanding.CallShare(call.callId(), call.dueDate(), due, funded));
            }
        }
        return new InvestorStanding(investor, commitments, shares, commitmentsOpen, withdrawalsOpen);
    }

    BigDecimal committed() {
        return positions.values().stream().map(InvestorPosition::committed).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    BigDecimal funded() {
        return positions.values().stream().map(InvestorPosition::funded).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Every investor holding a position, once each. */
    List<String> holders() {
        return positions.values().stream().map(InvestorPosition::investorId).distinct().toList();
    }

    BigDecimal cash() {
        return moneyIn.subtract(moneyOut);
    }

    BigDecimal moneyIn() {
        return moneyIn;
    }

    BigDecimal moneyOut() {
        return moneyOut;
    }

    @EventSourcingHandler
    void on(CommitmentMadeEvent event) {
        positions.put(positionKey(event.investorId(), event.tranche()),
                InvestorPosition.open(event.investorId(), event.tranche()).committed(event.amount()));
    }

    @EventSourcingHandler
    void on(CommitmentIncreasedEvent event) {
        positions.computeIfPresent(positionKey(event.investorId(), event.tranche()),
                (k, p) -> p.committed(event.amount()));
    }

    @EventSourcingHandler
    void on(CommitmentWithdrawnEvent event) {
        positions.remove(positionKey(event.investorId(), event.tranche()));
    }

    @EventSourcingHandler
    void on(CapitalCalledEvent event) {
        Map<String, BigDecimal> allocated = new LinkedHashMap<>();
        for (CallAllocation allocation : event.allocations()) {
            String key = positionKey(allocation.investorId(), allocation.tranche());
            allocated.put(key, allocation.amount());
            positions.computeIfPresent(key, (k, p) -> p.called(allocation.amount()));
        }
        calls.put(event.callId(), new Call(event.callId(), event.dueDate(), allocated, new LinkedHashMap<>()));
    }

    @EventSourcingHandler
    void on(CapitalCallFundedEvent event) {
        String key = positionKey(event.investorId(), event.tranche());
        calls.get(event.callId()).funded().merge(key, event.amount(), BigDecimal::add);
        positions.computeIfPresent(key, (k, p) -> p.funded(event.fundedOn(), event.amount()));
        moneyIn = moneyIn.add(event.amount());
    }

    @EventSourcingHandler
    void on(FundsDisbursedEvent event) {
        disbursements.add(event.disbursementId());
        moneyOut = moneyOut.add(event.amount());
    }

    @EventSourcingHandler
    void on(DistributionMadeEvent event) {
        distributions.add(event.distributionId());
        for (DistributionLine line : event.lines()) {
            positions.computeIfPresent(positionKey(line.investorId(), line.tranche()),
                    (k, p) -> p.distributed(event.date(), line.principal(), line.investorReturn()));
        }
        moneyOut = moneyOut.add(event.amount());
    }

    @EventSourcingHandler
    void on(GuaranteeCalledEvent event) {
        guaranteeCalled = true;
        for (GuaranteePaymentLine payment : event.payments()) {
            positions.computeIfPresent(positionKey(payment.investorId(), payment.tranche()),
                    (k, p) -> p.distributed(event.date(), payment.amount(), BigDecimal.ZERO));
            positions.computeIfPresent(positionKey(payment.guarantorId(), payment.guaranteeTranche()),
                    (k, p) -> p.called(payment.amount()).funded(event.date(), payment.amount()));
            // the guarantor's money passes through the bond to the investor
            moneyIn = moneyIn.add(payment.amount());
            moneyOut = moneyOut.add(payment.amount());
        }
    }

    /** A settled payout is money in; a credit set off (negative) reduces it. */
    @EventSourcingHandler
    void on(PayoutSettledEvent event) {
        moneyIn = moneyIn.add(event.amount());
    }
}
