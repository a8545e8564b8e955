package org.sibledger.contracts.measurement;

import org.axonframework.serialization.Revision;

/** A measurement was submitted and awaits the payer's decision. */
@Revision("1")
public record MeasurementSubmittedEvent(String bondId, String measurementId, String evaluatorId, Measurement measurement, String evidenceRef, String supersedes) {
}
