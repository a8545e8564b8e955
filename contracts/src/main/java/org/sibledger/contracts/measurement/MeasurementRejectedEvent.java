package org.sibledger.contracts.measurement;

import org.axonframework.serialization.Revision;

/** An outcome payer rejected a measurement; it never pays. */
@Revision("1")
public record MeasurementRejectedEvent(String bondId, String measurementId, String payerId, String reason) {
}
