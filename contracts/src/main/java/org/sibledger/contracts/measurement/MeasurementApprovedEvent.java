package org.sibledger.contracts.measurement;

import org.axonframework.serialization.Revision;

/** An outcome payer verified a measurement; the payouts it triggers follow. */
@Revision("1")
public record MeasurementApprovedEvent(String bondId, String measurementId, String payerId, String reason) {
}
