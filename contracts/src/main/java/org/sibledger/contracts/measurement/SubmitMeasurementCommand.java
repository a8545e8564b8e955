package org.sibledger.contracts.measurement;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An evaluator submits one measurement with its evidence, possibly correcting an earlier one. */
public record SubmitMeasurementCommand(@TargetAggregateIdentifier String bondId, String measurementId, Measurement measurement, String evidenceRef, String supersedes) {
}
