package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.measurement.MeasurementSupersededEvent;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.core.mechanism.ApprovedMeasurement;
import org.sibledger.core.mechanism.TermsHistory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The measurements submitted to the bond and the payers' decisions on them, a member entity of the bond: what is
 * approved (and for which payers' shares) is what the payouts are booked from. A payer decides once on a measurement;
 * where several payers and no lead are named, each decides for its own share.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class Measurements {

    enum Status { SUBMITTED, APPROVED, REJECTED, DISPUTED, SUPERSEDED }

    private Map<String, Submitted> measurements = new LinkedHashMap<>();
    /** Per measurement, the payers that decided on it, and those whose share it is approved for. */
    private Map<String, List<String>> decidedBy = new HashMap<>();
    private Map<String, List<String>> approvedFor = new HashMap<>();
    private List<ApprovedMeasurement> approved = new ArrayList<>();
    /** The outcome payers the terms name, and whether each decides for its own share (several, no lead). */
    private List<String> payers = List.of();
    private boolean perShare;

    record Submitted(String measurementId, String evaluatorId, Measurement measurement, Status status,
                     boolean wasApproved, LocalDate submittedOn, String disputedBy) {
        Submitted withStatus(Status value) {
            return new Submitted(measurementId, evaluatorId, measurement, value, wasApproved, submittedOn, disputedBy);
        }

        Submitted withDisputedBy(String party) {
            return new Submitted(measurementId, evaluatorId, measurement, status, wasApproved, submittedOn, party);
        }

        /** The date that prices the result: its period's end, where the evaluator gave one, else its submission. */
        LocalDate outcomeOn() {
            return measurement.periodEnd() != null ? measurement.periodEnd() : submittedOn;
        }
    }

    // ---------------------------------------------------------------- decisions

    /** A submission, and the supersession of the measurement it corrects, if any. */
    List<Object> submit(String bondId, BondTerms terms, List<TermsHistory.Version> versions, String evaluator,
                        SubmitMeasurementCommand command, Cohorts cohorts, LocalDate today) {
        Refusals.requireText("/measurementId", command.measurementId());
        Refusals.requireText("/evidenceRef", command.evidenceRef());
        if (measurements.containsKey(command.measurementId())) {
            throw Refusals.conflict("measurement-exists", "Measurement '" + command.measurementId() + "' exists already")
                    .with(command.measurementId());
        }
        MeasurementRules.check(terms, versions, command.measurement(), cohorts.byId(), cohorts.participants(), today);
        if (command.supersedes() != null) {
            Submitted earlier = measurements.get(command.supersedes());
            if (earlier == null) {
                throw Refusals.notFound("unknown-measurement", "No measurement '" + command.supersedes() + "' to supersede")
                        .with(command.supersedes());
            }
            if (earlier.status() == Status.APPROVED || earlier.status() == Status.SUPERSEDED) {
                throw Refusals.conflict("cannot-supersede", "Measurement '" + command.supersedes() + "' is "
                        + earlier.status() + " and can no longer be superseded"
                        + (earlier.status() == Status.APPROVED ? "; the payer can dispute it" : ""))
                                .with(command.supersedes(), earlier.status());
            }
            // an approved result under dispute stays approved, its payouts held, until the reviewer resolves it:
            // superseded, it could never be resolved, and its payouts would be held for good
            if (earlier.status() == Status.DISPUTED && earlier.wasApproved()) {
                throw Refusals.conflict("cannot-supersede", "Measurement '" + command.supersedes() + "' was approved"
                        + " and is under dispute; once the reviewer has resolved the dispute against it, a correction"
                        + " can supersede it").worded("disputed", command.supersedes());
            }
            if (!earlier.measurement().getClass().equals(command.measurement().getClass())) {
                throw Refusals.invalid("cannot-supersede", "/supersedes", "A correction must be of the same kind as what it corrects")
                        .worded("kind", command.supersedes());
            }
        }
        MeasurementSubmittedEvent submitted = new MeasurementSubmittedEvent(bondId, command.measurementId(), evaluator,
                command.measurement(), command.evidenceRef(), command.supersedes());
        return command.supersedes() == null ? List.of(submitted)
                : List.of(submitted, new MeasurementSupersededEvent(bondId, command.supersedes(), command.measurementId()));
    }

    /** The measurement a payer decides on, after the checks every decision makes, whatever it decides. */
    Submitted requireDecidable(String measurementId, String payer, Decision decision, Optional<String> lead) {
        Submitted measurement = require(measurementId);
        if (measurement.evaluatorId().equals(payer)) {
            throw Refusals.forbidden("own-measurement", "Who submitted a measurement can never decide on it");
        }
        if (decision == null) {
            throw Refusals.invalid("missing-field", "/decision", "is required: APPROVE, REJECT or DISPUTE")
                    .worded("decision", "/decision");
        }
        // DOMAIN.md: each payer decides for its own share, unless the terms name a lead payer whose decision binds all
        if (lead.isPresent() && !lead.get().equals(payer)) {
            throw Refusals.forbidden("lead-payer-decides", "The terms name '" + lead.get() + "' as the lead payer, whose"
                    + " decisions bind every payer of this bond; '" + payer + "' does not decide on measurements")
                            .with(lead.get(), payer);
        }
        return measurement;
    }

    /** A disputed measurement the reviewer may resolve: never who raised the dispute, nor who submitted it. */
    Submitted requireResolvable(String reviewer, ResolveDisputeCommand command) {
        Submitted measurement = require(command.measurementId());
        if (measurement.status() != Status.DISPUTED) {
            throw Refusals.conflict("not-disputed", "Measurement '" + measurement.measurementId() + "' is not disputed")
                    .with(measurement.measurementId());
        }
        if (measurement.evaluatorId().equals(reviewer)) {
            throw Refusals.forbidden("own-measurement", "Who submitted a measurement can never decide on it");
        }
        if (reviewer.equals(measurement.disputedBy())) {
            throw Refusals.forbidden("own-dispute", "Who raised a dispute never resolves it");
        }
        if (command.resolution() == null) {
            throw Refusals.invalid("missing-field", "/resolution", "is required: UPHOLD or REJECT")
                    .worded("resolution", "/resolution");
        }
        Refusals.requireText("/reason", command.reason());
        return measurement;
    }

    /** A measurement a payer may dispute: submitted or approved. */
    void requireDisputable(Submitted measurement) {
        if (measurement.status() != Status.SUBMITTED && measurement.status() != Status.APPROVED) {
            throw Refusals.conflict("already-decided", "Measurement '" + measurement.measurementId() + "' is "
                    + measurement.status() + " and cannot be disputed")
                            .worded("dispute", measurement.measurementId(), measurement.status());
        }
    }

    Submitted require(String measurementId) {
        Submitted measurement = measurementId == null ? null : measurements.get(measurementId);
        if (measurement == null) {
            throw Refusals.notFound("unknown-measurement", "No measurement '" + measurementId + "' on this bond")
                    .with(measurementId);
        }
        return measurement;
    }

    /**
     * A payer decides once on a measurement: while it awaits decisions (submitted), or, where each payer decides for
     * its own share, after another payer decided (approved or rejected for that payer's share) until this one has.
     */
    void requireUndecidedBy(Submitted measurement, String payer, String verb) {
        boolean open = measurement.status() == Status.SUBMITTED
                || perShare && (measurement.status() == Status.APPROVED || measurement.status() == Status.REJECTED);
        if (!open || decidedBy.getOrDefault(measurement.measurementId(), List.of()).contains(payer)) {
            throw Refusals.conflict("already-decided", "Measurement '" + measurement.measurementId() + "' is "
                    + measurement.status() + (open ? " and " + payer + " has decided on it already" : "")
                    + "; it cannot be " + verb).with(measurement.measurementId(), measurement.status());
        }
    }

    // ---------------------------------------------------------------- state

    Submitted get(String measurementId) {
        return measurements.get(measurementId);
    }

    List<Measurement> submitted() {
        return measurements.values().stream().map(Submitted::measurement).toList();
    }

    List<ApprovedMeasurement> approved() {
        return approved;
    }

    Map<String, List<String>> approvedFor() {
        return approvedFor;
    }

    /** What would be approved if this submitted measurement were approved on {@code on}. */
    List<ApprovedMeasurement> approvedWith(Submitted measurement, LocalDate on) {
        List<ApprovedMeasurement> after = new ArrayList<>(approved);
        after.add(new ApprovedMeasurement(measurement.measurementId(), measurement.measurement(), on,
                measurement.outcomeOn()));
        return after;
    }

    /** For whose shares each measurement is approved, this one counting as approved for every payer. */
    Map<String, List<String>> approvedForAllOf(String measurementId) {
        Map<String, List<String>> forShares = new HashMap<>(approvedFor);
        forShares.remove(measurementId);
        return forShares;
    }

    /** Measurements under dispute: their lines are held, and re-booked only once the dispute is resolved. */
    Set<String> disputed() {
        Set<String> disputed = new HashSet<>();
        measurements.values().forEach(m -> {
            if (m.status() == Status.DISPUTED) {
                disputed.add(m.measurementId());
            }
        });
        return disputed;
    }

    @EventSourcingHandler
    void on(BondStructuredEvent event) {
        payersOf(event.terms());
    }

    @EventSourcingHandler
    void on(TermsAmendedEvent event) {
        payersOf(event.terms());
    }

    private void payersOf(BondTerms terms) {
        payers = terms.parties().outcomePayers().stream().map(BondTerms.OutcomePayer::id).toList();
        perShare = payers.size() > 1 && terms.leadPayer().isEmpty();
    }

    @EventSourcingHandler
    void on(MeasurementSubmittedEvent event, MetaData metaData) {
        measurements.put(event.measurementId(), new Submitted(event.measurementId(), event.evaluatorId(),
                event.measurement(), Status.SUBMITTED, false, Audit.today(metaData), null));
    }

    @EventSourcingHandler
    void on(MeasurementSupersededEvent event) {
        measurements.computeIfPresent(event.measurementId(), (k, m) -> m.withStatus(Status.SUPERSEDED));
    }

    @EventSourcingHandler
    void on(MeasurementApprovedEvent event, MetaData metaData) {
        Submitted m = measurements.get(event.measurementId());
        measurements.put(m.measurementId(), new Submitted(m.measurementId(), m.evaluatorId(), m.measurement(),
                Status.APPROVED, true, m.submittedOn(), m.disputedBy()));
        if (!m.wasApproved()) {
            // a later payer's approval of its own share adds no second entry (a result rejected on review, whose
            // entry was removed, is decided for every payer and cannot be approved again)
            approved.add(new ApprovedMeasurement(m.measurementId(), m.measurement(), Audit.today(metaData), m.outcomeOn()));
        }
        decided(event.measurementId(), event.payerId());
        // one payer's approval is for its own share, unless it binds every payer (the only payer, or the lead)
        List<String> shares = perShare ? List.of(event.payerId()) : payers;
        List<String> forShares = new ArrayList<>(approvedFor.getOrDefault(event.measurementId(), List.of()));
        shares.stream().filter(payer -> !forShares.contains(payer)).forEach(forShares::add);
        approvedFor.put(event.measurementId(), forShares);
    }

    private void decided(String measurementId, String payerId) {
        List<String> decided = new ArrayList<>(decidedBy.getOrDefault(measurementId, List.of()));
        decided.add(payerId);
        decidedBy.put(measurementId, decided);
    }

    @EventSourcingHandler
    void on(MeasurementRejectedEvent event) {
        // a payer rejecting its share of a result another approved leaves the result approved for that one
        measurements.computeIfPresent(event.measurementId(), (k, m) -> m.status() == Status.APPROVED
                ? m : m.withStatus(Status.REJECTED));
        decided(event.measurementId(), event.payerId());
    }

    @EventSourcingHandler
    void on(MeasurementDisputedEvent event) {
        measurements.computeIfPresent(event.measurementId(), (k, m) -> m.withStatus(Status.DISPUTED)
                .withDisputedBy(event.payerId()));
    }

    @EventSourcingHandler
    void on(DisputeResolvedEvent event) {
        Submitted m = measurements.get(event.measurementId());
        if (event.resolution() == DisputeResolution.REJECT) {
            measurements.put(m.measurementId(), m.withStatus(Status.REJECTED));
            approved.removeIf(a -> a.measurementId().equals(m.measurementId()));
            approvedFor.remove(m.measurementId());
            // the reviewer's verdict ends the result for every payer, including one that had not decided on it yet
            decidedBy.put(m.measurementId(), payers);
        } else {
            measurements.put(m.measurementId(), m.withStatus(m.wasApproved() ? Status.APPROVED : Status.SUBMITTED));
        }
    }
}
