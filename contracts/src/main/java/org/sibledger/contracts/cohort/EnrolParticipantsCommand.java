package org.sibledger.contracts.cohort;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;

/** A service provider enrols participants by pseudonymous reference only. */
public record EnrolParticipantsCommand(@TargetAggregateIdentifier String bondId, String cohortId, List<String> participantRefs) {
    public EnrolParticipantsCommand {
        participantRefs = participantRefs == null ? List.of() : List.copyOf(participantRefs);
    }
}
