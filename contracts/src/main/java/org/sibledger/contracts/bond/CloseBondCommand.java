package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The arranger closes a matured bond whose payouts are settled and whose cash is distributed. */
public record CloseBondCommand(@TargetAggregateIdentifier String bondId) {
}
