package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;

/** The arranger pays a service provider from the bond's cash. */
public record DisburseFundsCommand(@TargetAggregateIdentifier String bondId, String disbursementId, String providerId, BigDecimal amount) {
}
