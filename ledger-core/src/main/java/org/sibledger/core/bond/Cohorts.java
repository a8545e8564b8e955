package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.sibledger.contracts.cohort.CohortOpenedEvent;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.cohort.ParticipantsEnrolledEvent;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The bond's cohorts and the pseudonymous participants enrolled in them: a member entity of the bond. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Cohorts {

    private Map<String, Cohort> cohorts = new LinkedHashMap<>();
    /** Participant reference -> its cohort. */
    private Map<String, String> participants = new HashMap<>();

    record Cohort(String cohortId, int size, int enrolled, LocalDate startDate) {
    }

    // ---------------------------------------------------------------- decisions

    CohortOpenedEvent open(String bondId, OpenCohortCommand command) {
        if (cohorts.containsKey(command.cohortId())) {
            throw Refusals.conflict("cohort-exists", "Cohort '" + command.cohortId() + "' exists already")
                    .with(command.cohortId());
        }
        Refusals.requireCount("/size", command.size(), 1);
        Refusals.requireDate("/startDate", command.startDate());
        return new CohortOpenedEvent(bondId, command.cohortId(), command.name(), command.size(), command.startDate());
    }

    ParticipantsEnrolledEvent enrol(String bondId, EnrolParticipantsCommand command) {
        Cohort cohort = cohorts.get(command.cohortId());
        if (cohort == null) {
            throw Refusals.notFound("unknown-cohort", "No cohort '" + command.cohortId() + "' on this bond")
                    .with(command.cohortId());
        }
        if (command.participantRefs().isEmpty()) {
            throw Refusals.invalid("missing-field", "/participantRefs", "at least one participant reference is required")
                    .worded("participants");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < command.participantRefs().size(); i++) {
            String ref = command.participantRefs().get(i);
            Syntax.requireParticipantRef("/participantRefs/" + i, ref);
            if (participants.containsKey(ref) || !seen.add(ref)) {
                throw Refusals.conflict("already-enrolled", "Participant '" + ref + "' is enrolled already").with(ref);
            }
        }
        if (cohort.enrolled() + command.participantRefs().size() > cohort.size()) {
            throw Refusals.invalid("cohort-full", "/participantRefs", "Cohort '" + cohort.cohortId() + "' has room for "
                    + (cohort.size() - cohort.enrolled()) + " more participant(s)")
                            .with(cohort.cohortId(), cohort.size() - cohort.enrolled());
        }
        return new ParticipantsEnrolledEvent(bondId, command.cohortId(), command.participantRefs());
    }

    // ---------------------------------------------------------------- state

    Map<String, Cohort> byId() {
        return cohorts;
    }

    Map<String, String> participants() {
        return participants;
    }

    Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new HashMap<>();
        cohorts.forEach((id, c) -> sizes.put(id, c.size()));
        return sizes;
    }

    @EventSourcingHandler
    void on(CohortOpenedEvent event) {
        cohorts.put(event.cohortId(), new Cohort(event.cohortId(), event.size(), 0, event.startDate()));
    }

    @EventSourcingHandler
    void on(ParticipantsEnrolledEvent event) {
        event.participantRefs().forEach(ref -> participants.put(ref, event.cohortId()));
        cohorts.computeIfPresent(event.cohortId(), (k, c) -> new Cohort(c.cohortId(), c.size(),
                c.enrolled() + event.participantRefs().size(), c.startDate()));
    }
}
