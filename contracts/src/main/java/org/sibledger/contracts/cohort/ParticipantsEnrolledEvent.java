package org.sibledger.contracts.cohort;

import org.axonframework.serialization.Revision;

import java.util.List;

/** Participants joined a cohort (pseudonymous references; no personal data). */
@Revision("1")
public record ParticipantsEnrolledEvent(String bondId, String cohortId, List<String> participantRefs) {
    public ParticipantsEnrolledEvent {
        participantRefs = participantRefs == null ? List.of() : List.copyOf(participantRefs);
    }
}
