package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.LocalDate;

/** The arranger distributes cash to investors through the waterfall. */
public record DistributeCommand(@TargetAggregateIdentifier String bondId, String distributionId, BigDecimal amount, LocalDate date) {
}
