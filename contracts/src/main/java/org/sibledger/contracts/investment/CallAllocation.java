package org.sibledger.contracts.investment;

import java.math.BigDecimal;

/** One position's share of a capital call. */
public record CallAllocation(String investorId, String tranche, BigDecimal amount) {
}
