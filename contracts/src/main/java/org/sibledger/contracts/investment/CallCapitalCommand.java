package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.time.LocalDate;

/** The arranger calls capital, drawn on commitments pro rata. */
public record CallCapitalCommand(@TargetAggregateIdentifier String bondId, String callId, BigDecimal amount, LocalDate dueDate) {
}
