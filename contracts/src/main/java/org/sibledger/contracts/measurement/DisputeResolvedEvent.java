package org.sibledger.contracts.measurement;

import org.axonframework.serialization.Revision;

/** A dispute was resolved. */
@Revision("1")
public record DisputeResolvedEvent(String bondId, String measurementId, String payerId, DisputeResolution resolution, String reason) {
}
