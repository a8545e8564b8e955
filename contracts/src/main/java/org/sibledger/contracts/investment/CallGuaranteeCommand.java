package org.sibledger.contracts.investment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.LocalDate;

/** At maturity, the arranger calls the guarantees to cover the guaranteed principal that outcomes did not repay. */
public record CallGuaranteeCommand(@TargetAggregateIdentifier String bondId, LocalDate date) {
}
