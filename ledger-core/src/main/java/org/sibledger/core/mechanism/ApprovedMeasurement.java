package org.sibledger.core.mechanism;

import org.sibledger.contracts.measurement.Measurement;

import java.time.LocalDate;

/**
 * A measurement the outcome payer approved: the only input that pays. Pass every approval in approval order, even
 * one whose result a later correction replaced (what was priced stays priced; the mechanism takes the latest result
 * per cohort, metric or period). Only an approval overturned on dispute, whose payouts were cancelled, is left out.
 */
public record ApprovedMeasurement(String measurementId, Measurement measurement, LocalDate approvedOn) {
}
