package org.sibledger.core.waterfall;

import org.sibledger.contracts.investment.DistributionLine;

import java.math.BigDecimal;

/** One position's part of a distribution, split into principal and return, with the waterfall rule that gave it. */
public record Allocation(String investorId, String trancheId, BigDecimal principal, BigDecimal investorReturn,
                         String rule) {

    public BigDecimal total() {
        return principal.add(investorReturn);
    }

    public DistributionLine toLine() {
        return new DistributionLine(investorId, trancheId, principal, investorReturn, rule);
    }
}
