package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateMember;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.serialization.Revision;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.AmendmentConsentedEvent;
import org.sibledger.contracts.bond.AmendmentDeclinedEvent;
import org.sibledger.contracts.bond.AmendmentProposalView;
import org.sibledger.contracts.bond.AmendmentProposedEvent;
import org.sibledger.contracts.bond.BondClosedEvent;
import org.sibledger.contracts.bond.BondMaturedEvent;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyAdmittedEvent;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.sibledger.core.bond.Measurements.Status;
import org.sibledger.core.bond.Measurements.Submitted;
import org.sibledger.core.mechanism.ApprovedMeasurement;
import org.sibledger.core.mechanism.DuePayout;
import org.sibledger.core.mechanism.PaymentMechanisms;
import org.sibledger.core.mechanism.PayoutBook;
import org.sibledger.core.mechanism.PricingFacts;
import org.sibledger.core.mechanism.TermsHistory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A social impact bond: the consistency boundary of everything that happens to one bond. The root keeps the terms,
 * the status, the variation awaiting consent and who may act ({@link Authority}); its members keep the rest: the
 * hash chain and idempotency keys ({@link BondChain}), the investors and cash ({@link Investors}), the cohorts
 * ({@link Cohorts}), the measurements and decisions ({@link Measurements}) and the payouts ({@link Payouts}). A
 * command handler checks who acts and the status, asks a member to decide, and records what it decided; the event
 * sourcing handlers only change state. Every event is linked into the bond's hash chain and carries who acted, when
 * and under which idempotency key; a command retried with the same key records nothing new, so each approval
 * triggers its payouts exactly once however often it is redelivered.
 * <p>
 * Invariants kept here: money in = money out + cash held, and cash held is never negative; no payout from an
 * unapproved, rejected or superseded measurement; no payout key triggered twice. Registered with Axon by the
 * application, so that this module needs no Spring.
 */
@Revision("6")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Bond {

    @AggregateIdentifier
    private String bondId;
    private BondTerms terms;
    private BondStatus status;
    /** The payment mechanism as structured and as amended, each from its effective date: what prices each outcome. */
    private List<TermsHistory.Version> termsVersions = new ArrayList<>();
    /** The variation awaiting consent, if any, and the ids of every proposal made. */
    private Amendments.Proposal proposal;
    private List<String> proposalIds = new ArrayList<>();

    @AggregateMember
    private BondChain chain = new BondChain();
    @AggregateMember
    private Investors investors = new Investors();
    @AggregateMember
    private Cohorts cohorts = new Cohorts();
    @AggregateMember
    private Measurements measurements = new Measurements();
    @AggregateMember
    private Payouts payouts = new Payouts();

    protected Bond() {
        // for Axon and snapshots
    }

    /**
     * Idempotency for every command on an existing bond, in one place: a command retried under its idempotency key
     * is answered without running its handler, so it records nothing new.
     */
    @CommandHandlerInterceptor
    Object idempotent(CommandMessage<?> command, InterceptorChain handling) throws Exception {
        Refusals.requirePlainText(command.getPayload());
        if (chain.isRetry(command.getPayload(), command.getMetaData())) {
            return null;
        }
        return handling.proceed();
    }

    // ---------------------------------------------------------------- structure, parties, terms, lifecycle

    @CommandHandler
    public Bond(StructureBondCommand command, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        Refusals.requirePlainText(command);
        if (command.terms() == null) {
            throw Refusals.invalid("invalid-terms", "A bond needs its terms document");
        }
        if (!command.bondId().equals(command.terms().bondId())) {
            throw Refusals.invalid("invalid-terms", "/bondId", "The command's bond id '" + command.bondId()
                    + "' differs from the terms' '" + command.terms().bondId() + "'");
        }
        BondTermsRules.check(command.terms());
        if (!actor.equals(command.terms().parties().arranger())) {
            throw Refusals.forbidden("not-the-arranger", "Only the arranger named in the terms ('"
                    + command.terms().parties().arranger() + "') may structure this bond, not '" + actor + "'");
        }
        record(new BondStructuredEvent(command.bondId(), command.terms()), metaData, command);
    }

    @CommandHandler
    void handle(AdmitPartyCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireNotEnded();
        Refusals.requireText("/partyId", command.partyId());
        if (command.role() == null) {
            throw Refusals.invalid("missing-field", "/role", "is required");
        }
        if (!command.partyId().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw Refusals.invalid("invalid-party", "/partyId", "must be 1 to 64 characters of a-z, 0-9, '.', '_', '-'");
        }
        if (proposal != null) {
            throw Refusals.conflict("amendment-pending", "Proposal '" + proposal.proposalId() + "' would replace the"
                    + " parties; admit parties once it has taken effect or been declined");
        }
        if (BondParties.has(terms, command.role(), command.partyId())) {
            throw Refusals.conflict("already-a-party", "'" + command.partyId() + "' is already a "
                    + command.role() + " of this bond");
        }
        record(new PartyAdmittedEvent(bondId, command.role(), command.partyId()), metaData, command);
    }

    @CommandHandler
    void handle(ProposeAmendmentCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireNotEnded();
        Refusals.requireId("/proposalId", command.proposalId());
        Refusals.requireText("/reason", command.reason());
        Refusals.requireDate("/effectiveFrom", command.effectiveFrom());
        if (proposal != null) {
            throw Refusals.conflict("amendment-pending", "Proposal '" + proposal.proposalId() + "' still awaits the"
                    + " consent of " + String.join(", ", proposal.awaiting()) + "; it must take effect or be declined first");
        }
        if (proposalIds.contains(command.proposalId())) {
            throw Refusals.conflict("proposal-exists", "Proposal '" + command.proposalId() + "' exists already");
        }
        Amendments.check(bondId, terms, command.terms());
        MeasurementRules.checkRepricing(command.terms(), measurements.submitted(), pricingFacts().cohortSizes());
        record(new AmendmentProposedEvent(bondId, command.proposalId(), terms, command.terms(), command.reason(),
                command.effectiveFrom(), Amendments.consentNeeded(terms, command.terms(), investors.holders())),
                metaData, command);
    }

    @CommandHandler
    void handle(ConsentToAmendmentCommand command, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        Amendments.Proposal open = requireProposal(command.proposalId());
        if (!open.needed().contains(actor)) {
            throw Refusals.forbidden("consent-not-needed", "'" + actor + "' is not a party whose consent proposal '"
                    + open.proposalId() + "' needs (" + String.join(", ", open.needed()) + ")");
        }
        if (open.consented().contains(actor)) {
            throw Refusals.conflict("already-consented", "'" + actor + "' consented to proposal '" + open.proposalId()
                    + "' already");
        }
        record(new AmendmentConsentedEvent(bondId, open.proposalId(), actor), metaData, command);
        if (proposal.complete()) {
            Amendments.Proposal agreed = proposal;
            record(new TermsAmendedEvent(bondId, terms, agreed.terms(), agreed.reason(), agreed.effectiveFrom(),
                    agreed.consented()), metaData, command);
            if (status == BondStatus.OPEN) {
                reconcile("re-booked under the terms amended from " + agreed.effectiveFrom(), metaData, command);
            }
        }
    }

    @CommandHandler
    void handle(DeclineAmendmentCommand command, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        Amendments.Proposal open = requireProposal(command.proposalId());
        if (!open.needed().contains(actor) && !actor.equals(terms.parties().arranger())) {
            throw Refusals.forbidden("consent-not-needed", "'" + actor + "' is not a party whose consent proposal '"
                    + open.proposalId() + "' needs (" + String.join(", ", open.needed()) + ")");
        }
        Refusals.requireText("/reason", command.reason());
        record(new AmendmentDeclinedEvent(bondId, open.proposalId(), actor, command.reason()), metaData, command);
    }

    private Amendments.Proposal requireProposal(String proposalId) {
        if (proposal == null || !proposal.proposalId().equals(proposalId)) {
            throw Refusals.notFound("unknown-proposal", "No open proposal '" + proposalId + "' on this bond");
        }
        return proposal;
    }

    @CommandHandler
    void handle(OpenBondCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireStatus(BondStatus.STRUCTURED, "open");
        BigDecimal committed = investors.committed();
        if (committed.signum() == 0) {
            throw Refusals.conflict("no-commitments", "A bond cannot open without any investor commitment");
        }
        record(new BondOpenedEvent(bondId, committed), metaData, command);
    }

    @CommandHandler
    void handle(MatureBondCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireStatus(BondStatus.OPEN, "mature");
        record(new BondMaturedEvent(bondId), metaData, command);
        reconcile("re-booked at maturity", metaData, command);
    }

    @CommandHandler
    void handle(CloseBondCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireStatus(BondStatus.MATURED, "close");
        List<String> unsettled = payouts.unsettled();
        if (!unsettled.isEmpty()) {
            throw Refusals.conflict("payouts-unsettled", unsettled.size() + " payout(s) are not settled yet, e.g. "
                    + unsettled.get(0));
        }
        if (investors.cash().signum() != 0) {
            throw Refusals.conflict("cash-held", "The bond still holds " + investors.cash().toPlainString() + " "
                    + terms.currency() + "; distribute it before closing");
        }
        record(new BondClosedEvent(bondId), metaData, command);
    }

    // ---------------------------------------------------------------- investors: commitments, calls, cash

    @CommandHandler
    void handle(MakeCommitmentCommand command, MetaData metaData) {
        String actor = Authority.investor(terms, metaData, command.investorId());
        requireCommitmentsOpen();
        requireTranche(command.tranche());
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        record(investors.commit(bondId, actor, command.tranche(), command.amount()), metaData, command);
    }

    @CommandHandler
    void handle(IncreaseCommitmentCommand command, MetaData metaData) {
        String actor = Authority.investor(terms, metaData, command.investorId());
        requireCommitmentsOpen();
        record(investors.increase(bondId, actor, command.tranche(), command.amount(), terms.currency()), metaData,
                command);
    }

    @CommandHandler
    void handle(WithdrawCommitmentCommand command, MetaData metaData) {
        String actor = Authority.investor(terms, metaData, command.investorId());
        if (status != BondStatus.STRUCTURED) {
            throw Refusals.conflict("bond-open", "Commitments can be withdrawn only before the bond opens");
        }
        record(investors.withdraw(bondId, actor, command.tranche()), metaData, command);
    }

    @CommandHandler
    void handle(CallCapitalCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireStatus(BondStatus.OPEN, "call capital on");
        record(investors.call(bondId, terms, command), metaData, command);
    }

    @CommandHandler
    void handle(FundCapitalCallCommand command, MetaData metaData) {
        String actor = Authority.investor(terms, metaData, command.investorId());
        investors.fund(bondId, terms.currency(), actor, command, Audit.today(metaData))
                .forEach(funded -> record(funded, metaData, command));
        if (PaymentMechanisms.pricedByFunding(terms)) {
            reconcile("re-booked: funded capital prices the share of savings", metaData, command);
        }
    }

    @CommandHandler
    void handle(DisburseFundsCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        if (status == BondStatus.CLOSED) {
            throw Refusals.conflict("bond-closed", "The bond is CLOSED");
        }
        record(investors.disburse(bondId, terms, command), metaData, command);
    }

    @CommandHandler
    void handle(DistributeCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        if (status != BondStatus.OPEN && status != BondStatus.MATURED) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "Distributions are made while the bond is open or matured");
        }
        record(investors.distribute(bondId, terms, command), metaData, command);
    }

    @CommandHandler
    void handle(CallGuaranteeCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireStatus(BondStatus.MATURED, "call the guarantees of");
        record(investors.callGuarantees(bondId, terms, command), metaData, command);
    }

    // ---------------------------------------------------------------- cohorts and participants

    @CommandHandler
    void handle(OpenCohortCommand command, MetaData metaData) {
        Authority.arrangerOrProvider(terms, metaData);
        requireNotEnded();
        Refusals.requireId("/cohortId", command.cohortId());
        Refusals.requireText("/name", command.name());
        record(cohorts.open(bondId, command), metaData, command);
    }

    @CommandHandler
    void handle(EnrolParticipantsCommand command, MetaData metaData) {
        Authority.role(terms, metaData, PartyRole.SERVICE_PROVIDER);
        requireNotEnded();
        record(cohorts.enrol(bondId, command), metaData, command);
    }

    // ---------------------------------------------------------------- measurements and decisions

    @CommandHandler
    void handle(SubmitMeasurementCommand command, MetaData metaData) {
        String evaluator = Authority.role(terms, metaData, PartyRole.EVALUATOR);
        requireStatus(BondStatus.OPEN, "submit measurements to");
        measurements.submit(bondId, terms, evaluator, command, cohorts, Audit.today(metaData))
                .forEach(event -> record(event, metaData, command));
    }

    @CommandHandler
    void handle(DecideOnMeasurementCommand command, MetaData metaData) {
        String payer = Authority.payer(terms, metaData);
        Submitted measurement = measurements.require(command.measurementId());
        if (measurement.evaluatorId().equals(payer)) {
            throw Refusals.forbidden("own-measurement", "Who submitted a measurement can never decide on it");
        }
        if (command.decision() == null) {
            throw Refusals.invalid("missing-field", "/decision", "is required: APPROVE, REJECT or DISPUTE");
        }
        // DOMAIN.md: each payer decides for its own share, unless the terms name a lead payer whose decision binds all
        Optional<String> lead = terms.leadPayer();
        if (lead.isPresent() && !lead.get().equals(payer)) {
            throw Refusals.forbidden("lead-payer-decides", "The terms name '" + lead.get() + "' as the lead payer, whose"
                    + " decisions bind every payer of this bond; '" + payer + "' does not decide on measurements");
        }
        String id = measurement.measurementId();
        switch (command.decision()) {
            case APPROVE -> {
                measurements.requireUndecidedBy(measurement, payer, "approved");
                requireStatus(BondStatus.OPEN, "approve measurements on");
                approve(id, payer, command.reason(), metaData, command);
            }
            case REJECT -> {
                measurements.requireUndecidedBy(measurement, payer, "rejected");
                Refusals.requireText("/reason", command.reason());
                record(new MeasurementRejectedEvent(bondId, id, payer, command.reason()), metaData, command);
            }
            case DISPUTE -> {
                Refusals.requireText("/reason", command.reason());
                if (measurement.status() != Status.SUBMITTED && measurement.status() != Status.APPROVED) {
                    throw Refusals.conflict("already-decided", "Measurement '" + id + "' is "
                            + measurement.status() + " and cannot be disputed");
                }
                if (payouts.anySettled(id)) {
                    throw Refusals.conflict("payout-settled", "A payout of measurement '" + id
                            + "' is settled already; it cannot be disputed");
                }
                record(new MeasurementDisputedEvent(bondId, id, payer, command.reason()), metaData, command);
            }
        }
    }

    @CommandHandler
    void handle(ResolveDisputeCommand command, MetaData metaData) {
        // DOMAIN.md: the bond's independent reviewer resolves a dispute; never who raised it, nor who submitted
        String reviewer = Authority.role(terms, metaData, PartyRole.REVIEWER);
        Submitted measurement = measurements.require(command.measurementId());
        String id = measurement.measurementId();
        if (measurement.status() != Status.DISPUTED) {
            throw Refusals.conflict("not-disputed", "Measurement '" + id + "' is not disputed");
        }
        if (measurement.evaluatorId().equals(reviewer)) {
            throw Refusals.forbidden("own-measurement", "Who submitted a measurement can never decide on it");
        }
        if (reviewer.equals(measurement.disputedBy())) {
            throw Refusals.forbidden("own-dispute", "Who raised a dispute never resolves it");
        }
        if (command.resolution() == null) {
            throw Refusals.invalid("missing-field", "/resolution", "is required: UPHOLD or REJECT");
        }
        Refusals.requireText("/reason", command.reason());
        record(new DisputeResolvedEvent(bondId, id, reviewer, command.resolution(), command.reason()), metaData, command);
        if (command.resolution() == DisputeResolution.UPHOLD && !measurement.wasApproved()) {
            requireStatus(BondStatus.OPEN, "approve measurements on");
            // upheld before any approval: approved for the payer whose dispute the reviewer resolved
            approve(id, measurement.disputedBy(), command.reason(), metaData, command);
        } else {
            reconcile((command.resolution() == DisputeResolution.REJECT ? "measurement '" + id
                    + "' rejected on dispute: " : "dispute over measurement '" + id
                    + "' resolved in its favour: ") + command.reason(), metaData, command);
        }
    }

    @CommandHandler
    void handle(SettlePayoutCommand command, MetaData metaData) {
        String payer = Authority.payer(terms, metaData);
        payouts.settle(bondId, payer, command.payoutId()).forEach(settled -> record(settled, metaData, command));
    }

    // ---------------------------------------------------------------- booking

    /**
     * What approving a submitted measurement on {@code on} would trigger, after every cap, decided exactly as the
     * approval would decide it and recorded nowhere: for a payer's decision. Empty when it is not awaiting a decision.
     */
    public List<DuePayout> previewApproval(String measurementId, LocalDate on) {
        Submitted measurement = measurements.get(measurementId);
        if (measurement == null || measurement.status() != Status.SUBMITTED || status != BondStatus.OPEN) {
            return List.of();
        }
        List<ApprovedMeasurement> after = new ArrayList<>(measurements.approved());
        after.add(new ApprovedMeasurement(measurement.measurementId(), measurement.measurement(), on,
                measurement.outcomeOn()));
        Map<String, List<String>> forShares = new HashMap<>(measurements.approvedFor());
        forShares.remove(measurementId);
        return PayoutBook.reconcile(terms.currency(), entitlement(after, forShares), payouts.live(),
                measurements.disputed()).trigger();
    }

    private void approve(String measurementId, String payer, String reason, MetaData metaData, Object command) {
        record(new MeasurementApprovedEvent(bondId, measurementId, payer, reason), metaData, command);
        reconcile("re-booked on the approval of measurement '" + measurementId + "'", metaData, command);
    }

    /**
     * Books what is due now: the entitlement of everything approved, through the caps, against what is booked and
     * live ({@link PayoutBook}). Runs after every change to what is approved or to what prices it, so a positive
     * difference is triggered at once and a negative one cancels unsettled lines or records a credit.
     *
     * @param why the reason given on the lines this cancels
     */
    private void reconcile(String why, MetaData metaData, Object command) {
        PayoutBook.Plan plan = PayoutBook.reconcile(terms.currency(),
                entitlement(measurements.approved(), measurements.approvedFor()), payouts.live(), measurements.disputed());
        payouts.book(bondId, plan, why).forEach(event -> record(event, metaData, command));
    }

    /**
     * The entitlement of what is approved, each payer's lines from what is approved for its share: where every
     * approval is for every payer (one payer, a lead payer, or all payers approved) that is one computation.
     */
    private List<DuePayout> entitlement(List<ApprovedMeasurement> approvals, Map<String, List<String>> forShares) {
        List<String> payers = terms.parties().outcomePayers().stream().map(BondTerms.OutcomePayer::id).toList();
        TermsHistory history = TermsHistory.of(termsVersions);
        PricingFacts facts = pricingFacts();
        if (approvals.stream().allMatch(a -> forShares.getOrDefault(a.measurementId(), payers).containsAll(payers))) {
            return PaymentMechanisms.entitlement(terms, history, facts, List.copyOf(approvals));
        }
        List<DuePayout> lines = new ArrayList<>();
        for (String payer : payers) {
            List<ApprovedMeasurement> mine = approvals.stream()
                    .filter(a -> forShares.getOrDefault(a.measurementId(), payers).contains(payer)).toList();
            PaymentMechanisms.entitlement(terms, history, facts, mine).stream()
                    .filter(line -> line.payerId().equals(payer)).forEach(lines::add);
        }
        return lines;
    }

    private PricingFacts pricingFacts() {
        boolean matured = status == BondStatus.MATURED || status == BondStatus.CLOSED;
        return new PricingFacts(cohorts.sizes(), investors.funded(), matured);
    }

    /** Records an event decided here or by a member: chained to the previous event's hash, with its audit metadata. */
    private void record(Object event, MetaData commandMetaData, Object command) {
        chain.record(bondId, event, commandMetaData, command);
    }

    // ---------------------------------------------------------------- status and terms

    private void requireStatus(BondStatus expected, String verb) {
        if (status != expected) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "Cannot " + verb + " a bond that is "
                    + status + " (it must be " + expected + ")");
        }
    }

    private void requireNotEnded() {
        if (status == BondStatus.MATURED || status == BondStatus.CLOSED) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "The bond is " + status);
        }
    }

    private void requireCommitmentsOpen() {
        boolean later = terms.investorTerms() != null && terms.investorTerms().allowCommitmentsAfterOpening();
        if (status != BondStatus.STRUCTURED && !(later && status == BondStatus.OPEN)) {
            throw Refusals.conflict("commitments-closed", "Commitments closed when the bond opened");
        }
    }

    private void requireTranche(String tranche) {
        boolean known = terms.investorTerms() != null && terms.investorTerms().tranches().stream()
                .anyMatch(t -> t.id().equals(tranche));
        if (!known) {
            throw Refusals.invalid("unknown-tranche", "/tranche", "'" + tranche + "' is not a tranche of this bond");
        }
    }

    // ---------------------------------------------------------------- event sourcing of the root's own state

    @EventSourcingHandler
    void on(BondStructuredEvent event) {
        this.bondId = event.bondId();
        this.terms = event.terms();
        this.status = BondStatus.STRUCTURED;
        this.termsVersions = new ArrayList<>(TermsHistory.of(event.terms().paymentMechanism()).versions());
    }

    @EventSourcingHandler
    void on(PartyAdmittedEvent event) {
        this.terms = BondParties.admit(terms, event.role(), event.partyId());
    }

    @EventSourcingHandler
    void on(AmendmentProposedEvent event) {
        proposal = new Amendments.Proposal(event.proposalId(), event.proposedTerms(), event.reason(),
                event.effectiveFrom(), event.consentNeededFrom(), List.of());
        proposalIds.add(event.proposalId());
    }

    @EventSourcingHandler
    void on(AmendmentConsentedEvent event) {
        proposal = proposal.consentedBy(event.partyId());
    }

    @EventSourcingHandler
    void on(AmendmentDeclinedEvent event) {
        proposal = null;
    }

    @EventSourcingHandler
    void on(TermsAmendedEvent event) {
        this.proposal = null;
        this.terms = event.terms();
        this.termsVersions = new ArrayList<>(TermsHistory.of(termsVersions).amended(event.effectiveFrom(),
                event.terms().paymentMechanism()).versions());
    }

    @EventSourcingHandler
    void on(BondOpenedEvent event) {
        this.status = BondStatus.OPEN;
    }

    @EventSourcingHandler
    void on(BondMaturedEvent event) {
        this.status = BondStatus.MATURED;
    }

    @EventSourcingHandler
    void on(BondClosedEvent event) {
        this.status = BondStatus.CLOSED;
    }

    // ---------------------------------------------------------------- state, for the parties, tests and snapshots

    /** The variation awaiting consent, for the bond's parties to see; empty when there is none. */
    public Optional<AmendmentProposalView> openProposal() {
        return Optional.ofNullable(proposal).map(p -> new AmendmentProposalView(bondId, p.proposalId(), terms,
                p.terms(), p.reason(), p.effectiveFrom(), p.needed(), p.consented(), p.awaiting()));
    }

    BondTerms currentTerms() {
        return terms;
    }

    BigDecimal cash() {
        return investors.cash();
    }

    BigDecimal moneyIn() {
        return investors.moneyIn();
    }

    BigDecimal moneyOut() {
        return investors.moneyOut();
    }
}
