package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/** An investor's commitment in a tranche was withdrawn in full. */
@Revision("1")
public record CommitmentWithdrawnEvent(String bondId, String investorId, String tranche, BigDecimal amount) {
}
