package org.sibledger.contracts.cohort;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.LocalDate;

/** A cohort of participants starts the intervention. */
public record OpenCohortCommand(@TargetAggregateIdentifier String bondId, String cohortId, String name, int size, LocalDate startDate) {
}
