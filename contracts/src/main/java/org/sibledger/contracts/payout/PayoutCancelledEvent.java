package org.sibledger.contracts.payout;

import org.axonframework.serialization.Revision;

/** A payout not yet settled was cancelled because its measurement was rejected on dispute. */
@Revision("1")
public record PayoutCancelledEvent(String bondId, String payoutId, String reason) {
}
