package org.sibledger.core.mechanism;

import org.sibledger.contracts.measurement.Measurement;

import java.time.LocalDate;

/** A measurement the outcome payer approved and that nothing has superseded: the only input that pays. */
public record ApprovedMeasurement(String measurementId, Measurement measurement, LocalDate approvedOn) {
}
