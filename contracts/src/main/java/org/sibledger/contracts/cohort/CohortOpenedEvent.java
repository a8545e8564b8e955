package org.sibledger.contracts.cohort;

import org.axonframework.serialization.Revision;

import java.time.LocalDate;

/** A cohort started. */
@Revision("1")
public record CohortOpenedEvent(String bondId, String cohortId, String name, int size, LocalDate startDate) {
}
