package org.sibledger.contracts.measurement;

import org.axonframework.serialization.Revision;

/** An outcome payer disputed a measurement (before or after approval); its payouts are held. */
@Revision("1")
public record MeasurementDisputedEvent(String bondId, String measurementId, String payerId, String reason) {
}
