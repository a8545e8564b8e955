package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;

/** An investor commits capital to a tranche. */
public record MakeCommitmentCommand(@TargetAggregateIdentifier String bondId, String investorId, String tranche, BigDecimal amount) {
}
