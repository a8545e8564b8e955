package org.sibledger.contracts.payout;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The outcome payer records that it paid a payout. */
public record SettlePayoutCommand(@TargetAggregateIdentifier String bondId, String payoutId) {
}
