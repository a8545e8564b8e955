package org.sibledger.contracts.payout;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/** The outcome payer paid: money in. */
@Revision("1")
public record PayoutSettledEvent(String bondId, String payoutId, String payerId, BigDecimal amount) {
}
