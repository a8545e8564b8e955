package org.sibledger.contracts.cohort;

import java.util.Map;

/** Each enrolled participant's pseudonymous reference and its cohort. */
public record ParticipantList(String bondId, Map<String, String> cohortByParticipant) {
    public ParticipantList {
        cohortByParticipant = cohortByParticipant == null ? Map.of() : Map.copyOf(cohortByParticipant);
    }
}
