package org.sibledger.core.waterfall;

import org.sibledger.contracts.bond.BondTerms.InvestorTerms.ExcessTo;
import org.sibledger.contracts.investment.DistributionLine;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What the waterfall did with an available amount on a date: the allocations within the return caps, in waterfall
 * order, and the excess above every cap with where it goes. When the excess goes to investors pro rata, its parts
 * are listed in {@code excessAllocations}; otherwise that list is empty and the excess leaves the investors.
 *
 * <p>Conservation, to the minor unit: {@code available = sum(allocations) + excess}, and
 * {@code excess = sum(excessAllocations)} when it goes to investors; so {@code available = sum(lines()) +
 * leavingInvestors()}, the two figures a DistributionMadeEvent records.
 */
public record Distribution(
        LocalDate date,
        String currency,
        BigDecimal available,
        List<Allocation> allocations,
        BigDecimal excess,
        ExcessTo excessTo,
        List<Allocation> excessAllocations,
        String excessRule) {

    public Distribution {
        allocations = List.copyOf(allocations);
        excessAllocations = List.copyOf(excessAllocations);
    }

    /** Everything investors receive, within the caps and from a pro rata excess. */
    public BigDecimal toInvestors() {
        return sum(allocations).add(sum(excessAllocations));
    }

    /** The excess refunded to the outcome payers or paid to the service provider; zero when investors share it. */
    public BigDecimal leavingInvestors() {
        return excessTo == ExcessTo.INVESTORS_PRO_RATA ? BigDecimal.ZERO.setScale(excess.scale()) : excess;
    }

    /** Every line paid to an investor, the capped allocations first, as a DistributionMadeEvent lists them. */
    public List<DistributionLine> lines() {
        List<DistributionLine> lines = new ArrayList<>();
        allocations.forEach(a -> lines.add(a.toLine()));
        excessAllocations.forEach(a -> lines.add(a.toLine()));
        return lines;
    }

    /** The positions after this distribution, in the same order; each receipt becomes one dated cash flow. */
    public List<InvestorPosition> applyTo(List<InvestorPosition> positions) {
        List<InvestorPosition> out = new ArrayList<>(positions.size());
        for (InvestorPosition position : positions) {
            BigDecimal principal = BigDecimal.ZERO;
            BigDecimal investorReturn = BigDecimal.ZERO;
            for (Allocation a : allocations) {
                if (a.investorId().equals(position.investorId()) && a.trancheId().equals(position.trancheId())) {
                    principal = principal.add(a.principal());
                    investorReturn = investorReturn.add(a.investorReturn());
                }
            }
            for (Allocation a : excessAllocations) {
                if (a.investorId().equals(position.investorId()) && a.trancheId().equals(position.trancheId())) {
                    investorReturn = investorReturn.add(a.investorReturn());
                }
            }
            out.add(principal.signum() == 0 && investorReturn.signum() == 0 ? position
                    : position.distributed(date, principal, investorReturn));
        }
        return out;
    }

    private static BigDecimal sum(List<Allocation> lines) {
        return lines.stream().map(Allocation::total).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
