package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/** An investor's commitment in a tranche grew by an amount, to a new total. */
@Revision("1")
public record CommitmentIncreasedEvent(String bondId, String investorId, String tranche, BigDecimal amount, BigDecimal newTotal) {
}
