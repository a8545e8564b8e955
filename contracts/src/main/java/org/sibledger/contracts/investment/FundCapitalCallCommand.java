package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;

/** An investor pays (part of) its share of a capital call. */
public record FundCapitalCallCommand(@TargetAggregateIdentifier String bondId, String callId, String investorId, BigDecimal amount) {
}
