package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.LocalDate;

/** An investor paid into the bond towards a capital call: money in. */
@Revision("1")
public record CapitalCallFundedEvent(String bondId, String callId, String investorId, String tranche, BigDecimal amount, LocalDate fundedOn) {
}
