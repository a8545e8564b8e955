package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The arranger structures a new bond from its terms document. */
public record StructureBondCommand(@TargetAggregateIdentifier String bondId, BondTerms terms) {
}
