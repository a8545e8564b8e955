package org.sibledger.contracts.measurement;

/**
 * A bond's measurements in the order submitted: all of them, or those in {@code status} (SUBMITTED is the payers'
 * approval queue), or only those of {@code evaluatorId} when it is given. Answered with a {@link MeasurementPage}.
 */
public record ListMeasurementsQuery(String bondId, String status, String evaluatorId, int page, int size) {
}
