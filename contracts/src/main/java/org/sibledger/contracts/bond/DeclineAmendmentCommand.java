package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A party whose consent a proposed variation needs declines it (or the arranger withdraws it): the proposal ends. */
public record DeclineAmendmentCommand(@TargetAggregateIdentifier String bondId, String proposalId, String reason) {
}
