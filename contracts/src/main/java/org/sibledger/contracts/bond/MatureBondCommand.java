package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The service period is over: end-of-term payments are assessed. */
public record MatureBondCommand(@TargetAggregateIdentifier String bondId) {
}
