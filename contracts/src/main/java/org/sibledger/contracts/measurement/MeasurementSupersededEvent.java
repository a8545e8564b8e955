package org.sibledger.contracts.measurement;

import org.axonframework.serialization.Revision;

/** A measurement was replaced by a correction and can never pay. */
@Revision("1")
public record MeasurementSupersededEvent(String bondId, String measurementId, String supersededBy) {
}
