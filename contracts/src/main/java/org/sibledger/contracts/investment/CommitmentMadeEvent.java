package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/** An investor committed capital to a tranche. */
@Revision("1")
public record CommitmentMadeEvent(String bondId, String investorId, String tranche, BigDecimal amount) {
}
