package org.sibledger.contracts.measurement;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** An outcome payer resolves a dispute: the measurement stands (UPHOLD) or is rejected. */
public record ResolveDisputeCommand(@TargetAggregateIdentifier String bondId, String measurementId, DisputeResolution resolution, String reason) {
}
