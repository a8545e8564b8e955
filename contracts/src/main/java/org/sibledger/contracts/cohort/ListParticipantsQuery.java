package org.sibledger.contracts.cohort;

/** The participants enrolled in a bond's cohorts, answered with a {@link ParticipantList}. */
public record ListParticipantsQuery(String bondId) {
}
