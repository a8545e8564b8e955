package org.sibledger.contracts.payout;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/** A payout became due from an outcome payer, with the measurement and rule that caused it; amounts after caps. */
@Revision("1")
public record PayoutTriggeredEvent(String bondId, String payoutId, String measurementId, String payerId, String metric, String cohortId, String participantRef, BigDecimal gross, BigDecimal payable, BigDecimal capped, String rule) {
}
