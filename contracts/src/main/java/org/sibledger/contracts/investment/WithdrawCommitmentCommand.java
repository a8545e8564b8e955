package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An investor withdraws its commitment in a tranche before the bond opens. */
public record WithdrawCommitmentCommand(@TargetAggregateIdentifier String bondId, String investorId, String tranche) {
}
