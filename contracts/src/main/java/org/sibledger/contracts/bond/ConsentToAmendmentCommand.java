package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A party whose consent a proposed variation needs gives it, for itself alone. */
public record ConsentToAmendmentCommand(@TargetAggregateIdentifier String bondId, String proposalId) {
}
