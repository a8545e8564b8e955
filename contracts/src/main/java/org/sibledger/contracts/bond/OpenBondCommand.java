package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The arranger closes commitments and opens the bond. */
public record OpenBondCommand(@TargetAggregateIdentifier String bondId) {
}
