package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;

/** An investor adds to its commitment in a tranche. */
public record IncreaseCommitmentCommand(@TargetAggregateIdentifier String bondId, String investorId, String tranche, BigDecimal amount) {
}
