package org.sibledger.contracts.measurement;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An outcome payer approves, rejects or disputes a measurement. */
public record DecideOnMeasurementCommand(@TargetAggregateIdentifier String bondId, String measurementId, Decision decision, String reason) {
}
