package org.sibledger.contracts.measurement;

/** One measurement of a bond, answered with an optional {@link MeasurementView}. */
public record FindMeasurementQuery(String bondId, String measurementId) {
}
