package org.sibledger.contracts.investment;

import java.math.BigDecimal;

/** One position's part of a distribution, split into principal and return, and the waterfall rule that gave it. */
public record DistributionLine(String investorId, String tranche, BigDecimal principal, BigDecimal investorReturn, String rule) {
}
