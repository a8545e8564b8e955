package org.sibledger.core.mechanism;

import org.sibledger.contracts.measurement.Measurement;

import java.time.LocalDate;

/**
 * A measurement the outcome payer approved: the only input that pays. Pass every approval in approval order, even
 * one whose result a later correction replaced (what was priced stays priced; the mechanism takes the latest result
 * per cohort, metric or period). An approval overturned on dispute is left out.
 *
 * @param outcomeOn the date the result is priced on (its period's end, else the day it was submitted); a claim of a
 *                  rate card is priced on its own {@code achievedOn}
 */
public record ApprovedMeasurement(String measurementId, Measurement measurement, LocalDate approvedOn,
                                  LocalDate outcomeOn) {

    /** An approval priced on the day it was approved. */
    public ApprovedMeasurement(String measurementId, Measurement measurement, LocalDate approvedOn) {
        this(measurementId, measurement, approvedOn, approvedOn);
    }
}
