package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.AmendmentConsentedEvent;
import org.sibledger.contracts.bond.AmendmentDeclinedEvent;
import org.sibledger.contracts.bond.AmendmentProposedEvent;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.BondClosedEvent;
import org.sibledger.contracts.bond.BondMaturedEvent;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyAdmittedEvent;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.cohort.CohortOpenedEvent;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.cohort.ParticipantsEnrolledEvent;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.investment.GuaranteePaymentLine;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.CommitmentIncreasedEvent;
import org.sibledger.contracts.investment.CommitmentMadeEvent;
import org.sibledger.contracts.investment.CommitmentWithdrawnEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionLine;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.FundsDisbursedEvent;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
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
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.sibledger.core.integrity.HashChain;
import org.sibledger.core.mechanism.ApprovedMeasurement;
import org.sibledger.core.mechanism.DuePayout;
import org.sibledger.core.mechanism.PaymentMechanisms;
import org.sibledger.core.mechanism.PayoutBook;
import org.sibledger.core.mechanism.TermsHistory;
import org.sibledger.core.mechanism.PricingFacts;
import org.sibledger.core.waterfall.CapitalCalls;
import org.sibledger.core.waterfall.Distribution;
import org.sibledger.core.waterfall.GuaranteeCall;
import org.sibledger.core.waterfall.InvestorPosition;
import org.sibledger.core.waterfall.Waterfall;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A social impact bond: the consistency boundary of everything that happens to one bond. Command handlers only
 * decide and apply; event sourcing handlers only change state. Every event is linked into the bond's hash chain and
 * carries who acted, when and under which idempotency key; a command retried with the same key records nothing
 * new, so each approval triggers its payouts exactly once however often it is redelivered.
 * <p>
 * Invariants kept here: money in (funded capital, settled payouts) = money out (disbursements, distributions) +
 * cash held, and cash held is never negative; no payout from an unapproved, rejected or superseded measurement; no
 * payout key triggered twice. Registered with Axon by the application, so that this module needs no Spring.
 */
@Revision("5")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Bond {

    @AggregateIdentifier
    private String bondId;
    private BondTerms terms;
    private BondStatus status;
    private long lastSequence = -1;
    private String lastHash = HashChain.GENESIS;
    /** Idempotency key, scoped to the actor that sent it (see {@link #keyOf}) -> fingerprint of the command that used it. */
    private Map<String, String> idempotencyKeys = new HashMap<>();

    private Map<String, InvestorPosition> positions = new LinkedHashMap<>();
    private Map<String, Call> calls = new LinkedHashMap<>();
    private BigDecimal moneyIn = BigDecimal.ZERO;
    private BigDecimal moneyOut = BigDecimal.ZERO;
    /** The payment mechanism as structured and as amended, each from its effective date: what prices each outcome. */
    private List<TermsHistory.Version> termsVersions = new ArrayList<>();
    /** The variation awaiting consent, if any, and the ids of every proposal made. */
    private Amendments.Proposal proposal;
    private List<String> proposalIds = new ArrayList<>();
    private Map<String, Cohort> cohorts = new LinkedHashMap<>();
    private Map<String, String> participants = new HashMap<>();
    private Map<String, Submitted> measurements = new LinkedHashMap<>();
    /** Per measurement, the payers that decided on it, and those whose share it is approved for. */
    private Map<String, List<String>> decidedBy = new HashMap<>();
    private Map<String, List<String>> approvedFor = new HashMap<>();
    private List<ApprovedMeasurement> approved = new ArrayList<>();
    private Map<String, Payout> payouts = new LinkedHashMap<>();
    private List<String> disbursements = new ArrayList<>();
    private List<String> distributions = new ArrayList<>();
    private boolean guaranteeCalled;

    protected Bond() {
        // for Axon and snapshots
    }

    /**
     * Idempotency for every command on an existing bond, in one place: a command retried under its idempotency key
     * is answered without running its handler, so it records nothing new.
     */
    @CommandHandlerInterceptor
    Object idempotent(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        Refusals.requirePlainText(command.getPayload());
        if (isRetry(command.getPayload(), command.getMetaData())) {
            return null;
        }
        return chain.proceed();
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
        requireArranger(metaData);
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
        requireArranger(metaData);
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
        MeasurementRules.checkRepricing(command.terms(), measurements.values().stream().map(Submitted::measurement)
                .toList(), pricingFacts().cohortSizes());
        List<String> holders = positions.values().stream().map(InvestorPosition::investorId).distinct().toList();
        record(new AmendmentProposedEvent(bondId, command.proposalId(), terms, command.terms(), command.reason(),
                command.effectiveFrom(), Amendments.consentNeeded(terms, command.terms(), holders)), metaData, command);
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
        requireArranger(metaData);
        requireStatus(BondStatus.STRUCTURED, "open");
        BigDecimal committed = positions.values().stream().map(InvestorPosition::committed).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (committed.signum() == 0) {
            throw Refusals.conflict("no-commitments", "A bond cannot open without any investor commitment");
        }
        record(new BondOpenedEvent(bondId, committed), metaData, command);
    }

    @CommandHandler
    void handle(MatureBondCommand command, MetaData metaData) {
        requireArranger(metaData);
        requireStatus(BondStatus.OPEN, "mature");
        record(new BondMaturedEvent(bondId), metaData, command);
        reconcile("re-booked at maturity", metaData, command);
    }

    @CommandHandler
    void handle(CloseBondCommand command, MetaData metaData) {
        requireArranger(metaData);
        requireStatus(BondStatus.MATURED, "close");
        List<String> unsettled = payouts.values().stream().filter(p -> p.payable().signum() != 0
                && p.status() != PayoutStatus.SETTLED && p.status() != PayoutStatus.CANCELLED).map(Payout::payoutId).toList();
        if (!unsettled.isEmpty()) {
            throw Refusals.conflict("payouts-unsettled", unsettled.size() + " payout(s) are not settled yet, e.g. "
                    + unsettled.get(0));
        }
        if (cash().signum() != 0) {
            throw Refusals.conflict("cash-held", "The bond still holds " + cash().toPlainString() + " "
                    + terms.currency() + "; distribute it before closing");
        }
        record(new BondClosedEvent(bondId), metaData, command);
    }

    // ---------------------------------------------------------------- investors: commitments, calls, cash

    @CommandHandler
    void handle(MakeCommitmentCommand command, MetaData metaData) {
        String actor = requireInvestor(metaData, command.investorId());
        requireCommitmentsOpen();
        requireTranche(command.tranche());
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        if (positions.containsKey(positionKey(actor, command.tranche()))) {
            throw Refusals.conflict("commitment-exists", actor + " already has a commitment in tranche '"
                    + command.tranche() + "'; increase it instead");
        }
        record(new CommitmentMadeEvent(bondId, actor, command.tranche(), command.amount()), metaData, command);
    }

    @CommandHandler
    void handle(IncreaseCommitmentCommand command, MetaData metaData) {
        String actor = requireInvestor(metaData, command.investorId());
        requireCommitmentsOpen();
        InvestorPosition position = requirePosition(actor, command.tranche());
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        record(new CommitmentIncreasedEvent(bondId, actor, command.tranche(), command.amount(),
                position.committed().add(command.amount())), metaData, command);
    }

    @CommandHandler
    void handle(WithdrawCommitmentCommand command, MetaData metaData) {
        String actor = requireInvestor(metaData, command.investorId());
        if (status != BondStatus.STRUCTURED) {
            throw Refusals.conflict("bond-open", "Commitments can be withdrawn only before the bond opens");
        }
        InvestorPosition position = requirePosition(actor, command.tranche());
        record(new CommitmentWithdrawnEvent(bondId, actor, command.tranche(), position.committed()), metaData, command);
    }

    @CommandHandler
    void handle(CallCapitalCommand command, MetaData metaData) {
        requireArranger(metaData);
        requireStatus(BondStatus.OPEN, "call capital on");
        Refusals.requireText("/callId", command.callId());
        if (calls.containsKey(command.callId())) {
            throw Refusals.conflict("call-exists", "Capital call '" + command.callId() + "' exists already");
        }
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        Refusals.requireDate("/dueDate", command.dueDate());
        LinkedHashMap<String, BigDecimal> uncalled = new LinkedHashMap<>();
        positions.forEach((key, p) -> {
            BigDecimal remaining = p.committed().subtract(p.called());
            // a guarantee is called only at maturity, for a shortfall, never for capital
            if (remaining.signum() > 0 && !isGuarantee(p.trancheId())) {
                uncalled.put(key, remaining);
            }
        });
        BigDecimal totalUncalled = uncalled.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (command.amount().compareTo(totalUncalled) > 0) {
            throw Refusals.invalid("call-exceeds-commitments", "/amount", "The call of " + command.amount().toPlainString()
                    + " exceeds the uncalled commitments of " + totalUncalled.toPlainString());
        }
        Map<String, BigDecimal> split = CapitalCalls.allocate(command.amount(), uncalled, terms.currency());
        List<org.sibledger.contracts.investment.CallAllocation> allocations = new ArrayList<>();
        split.forEach((key, amount) -> {
            InvestorPosition p = positions.get(key);
            if (amount.signum() > 0) {
                allocations.add(new org.sibledger.contracts.investment.CallAllocation(p.investorId(), p.trancheId(), amount));
            }
        });
        record(new CapitalCalledEvent(bondId, command.callId(), command.amount(), command.dueDate(), allocations),
                metaData, command);
    }

    @CommandHandler
    void handle(FundCapitalCallCommand command, MetaData metaData) {
        String actor = requireInvestor(metaData, command.investorId());
        Call call = calls.get(command.callId());
        if (call == null) {
            throw Refusals.notFound("unknown-capital-call", "No capital call '" + command.callId() + "' on this bond");
        }
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        List<String> keys = call.allocated().keySet().stream().filter(k -> positions.get(k).investorId().equals(actor)).toList();
        if (keys.isEmpty()) {
            throw Refusals.conflict("not-called", actor + " has no share in capital call '" + command.callId() + "'");
        }
        BigDecimal outstanding = keys.stream().map(k -> call.allocated().get(k).subtract(call.fundedOf(k)))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        if (command.amount().compareTo(outstanding) > 0) {
            throw Refusals.invalid("overfunding", "/amount", "Only " + outstanding.toPlainString() + " "
                    + terms.currency() + " of this call is outstanding for " + actor);
        }
        // An investor in several tranches funds them in tranche order.
        BigDecimal left = command.amount();
        for (String key : keys) {
            BigDecimal open = call.allocated().get(key).subtract(call.fundedOf(key));
            BigDecimal part = left.min(open);
            if (part.signum() > 0) {
                record(new CapitalCallFundedEvent(bondId, command.callId(), actor, positions.get(key).trancheId(), part,
                        today(metaData)), metaData, command);
                left = left.subtract(part);
            }
        }
        if (PaymentMechanisms.pricedByFunding(terms)) {
            reconcile("re-booked: funded capital prices the share of savings", metaData, command);
        }
    }

    @CommandHandler
    void handle(DisburseFundsCommand command, MetaData metaData) {
        requireArranger(metaData);
        if (status == BondStatus.CLOSED) {
            throw Refusals.conflict("bond-closed", "The bond is CLOSED");
        }
        Refusals.requireText("/disbursementId", command.disbursementId());
        if (disbursements.contains(command.disbursementId())) {
            throw Refusals.conflict("disbursement-exists", "Disbursement '" + command.disbursementId() + "' exists already");
        }
        if (!terms.parties().serviceProviders().contains(command.providerId())) {
            throw Refusals.invalid("unknown-provider", "/providerId", "'" + command.providerId()
                    + "' is not a service provider of this bond");
        }
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        requireCash(command.amount());
        record(new FundsDisbursedEvent(bondId, command.disbursementId(), command.providerId(), command.amount()),
                metaData, command);
    }

    @CommandHandler
    void handle(DistributeCommand command, MetaData metaData) {
        requireArranger(metaData);
        if (status != BondStatus.OPEN && status != BondStatus.MATURED) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "Distributions are made while the bond is open or matured");
        }
        Refusals.requireText("/distributionId", command.distributionId());
        if (distributions.contains(command.distributionId())) {
            throw Refusals.conflict("distribution-exists", "Distribution '" + command.distributionId() + "' exists already");
        }
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        Refusals.requireDate("/date", command.date());
        requireCash(command.amount());
        Distribution distribution;
        try {
            distribution = Waterfall.distribute(terms.investorTerms(), List.copyOf(positions.values()), command.amount(),
                    command.date(), terms.currency());
        } catch (IllegalArgumentException e) {
            throw Refusals.invalid("invalid-distribution", e.getMessage());
        }
        record(new DistributionMadeEvent(bondId, command.distributionId(), command.amount(), command.date(),
                distribution.lines(), distribution.leavingInvestors(), distribution.excessTo().name()), metaData, command);
    }

    @CommandHandler
    void handle(CallGuaranteeCommand command, MetaData metaData) {
        requireArranger(metaData);
        requireStatus(BondStatus.MATURED, "call the guarantees of");
        if (guaranteeCalled) {
            throw Refusals.conflict("guarantee-called", "The guarantees of this bond were called already");
        }
        Refusals.requireDate("/date", command.date());
        GuaranteeCall call;
        try {
            call = Waterfall.guaranteeCall(terms.investorTerms(), List.copyOf(positions.values()), terms.currency());
        } catch (IllegalArgumentException e) {
            throw Refusals.invalid("invalid-guarantee", e.getMessage());
        }
        if (call.payments().isEmpty()) {
            throw Refusals.conflict("nothing-to-guarantee", "No guarantee covers any unrepaid principal of this bond");
        }
        record(new GuaranteeCalledEvent(bondId, command.date(), call.payments().stream()
                .map(p -> new GuaranteePaymentLine(p.guarantorId(), p.guaranteeTrancheId(), p.investorId(), p.trancheId(),
                        p.amount(), p.rule())).toList(), call.shortfall(), call.uncovered()), metaData, command);
    }

    // ---------------------------------------------------------------- cohorts and participants

    @CommandHandler
    void handle(OpenCohortCommand command, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        if (!actor.equals(terms.parties().arranger()) && !terms.parties().serviceProviders().contains(actor)) {
            throw Refusals.forbidden("not-arranger-or-provider", "Only the arranger or a service provider of this bond may open a cohort");
        }
        requireNotEnded();
        Refusals.requireId("/cohortId", command.cohortId());
        Refusals.requireText("/name", command.name());
        if (cohorts.containsKey(command.cohortId())) {
            throw Refusals.conflict("cohort-exists", "Cohort '" + command.cohortId() + "' exists already");
        }
        Refusals.requireCount("/size", command.size(), 1);
        Refusals.requireDate("/startDate", command.startDate());
        record(new CohortOpenedEvent(bondId, command.cohortId(), command.name(), command.size(), command.startDate()),
                metaData, command);
    }

    @CommandHandler
    void handle(EnrolParticipantsCommand command, MetaData metaData) {
        requireRole(metaData, PartyRole.SERVICE_PROVIDER);
        requireNotEnded();
        Cohort cohort = cohorts.get(command.cohortId());
        if (cohort == null) {
            throw Refusals.notFound("unknown-cohort", "No cohort '" + command.cohortId() + "' on this bond");
        }
        if (command.participantRefs().isEmpty()) {
            throw Refusals.invalid("missing-field", "/participantRefs", "at least one participant reference is required");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < command.participantRefs().size(); i++) {
            String ref = command.participantRefs().get(i);
            if (ref == null || !ref.matches("[A-Za-z0-9_-]{1,64}")) {
                throw Refusals.invalid("not-pseudonymous", "/participantRefs/" + i,
                        "a participant reference is 1 to 64 letters, digits, '_' or '-' (pseudonymous, never a name or e-mail)");
            }
            if (participants.containsKey(ref) || !seen.add(ref)) {
                throw Refusals.conflict("already-enrolled", "Participant '" + ref + "' is enrolled already");
            }
        }
        if (cohort.enrolled() + command.participantRefs().size() > cohort.size()) {
            throw Refusals.invalid("cohort-full", "/participantRefs", "Cohort '" + cohort.cohortId() + "' has room for "
                    + (cohort.size() - cohort.enrolled()) + " more participant(s)");
        }
        record(new ParticipantsEnrolledEvent(bondId, command.cohortId(), command.participantRefs()), metaData, command);
    }

    // ---------------------------------------------------------------- measurements and decisions

    @CommandHandler
    void handle(SubmitMeasurementCommand command, MetaData metaData) {
        String evaluator = requireRole(metaData, PartyRole.EVALUATOR);
        requireStatus(BondStatus.OPEN, "submit measurements to");
        Refusals.requireText("/measurementId", command.measurementId());
        Refusals.requireText("/evidenceRef", command.evidenceRef());
        if (measurements.containsKey(command.measurementId())) {
            throw Refusals.conflict("measurement-exists", "Measurement '" + command.measurementId() + "' exists already");
        }
        MeasurementRules.check(terms, command.measurement(), cohorts, participants, today(metaData));
        if (command.supersedes() != null) {
            Submitted earlier = measurements.get(command.supersedes());
            if (earlier == null) {
                throw Refusals.notFound("unknown-measurement", "No measurement '" + command.supersedes() + "' to supersede");
            }
            if (earlier.status() == MeasurementStatus.APPROVED || earlier.status() == MeasurementStatus.SUPERSEDED) {
                throw Refusals.conflict("cannot-supersede", "Measurement '" + command.supersedes() + "' is "
                        + earlier.status() + " and can no longer be superseded"
                        + (earlier.status() == MeasurementStatus.APPROVED ? "; the payer can dispute it" : ""));
            }
            if (!earlier.measurement().getClass().equals(command.measurement().getClass())) {
                throw Refusals.invalid("cannot-supersede", "/supersedes", "A correction must be of the same kind as what it corrects");
            }
        }
        record(new MeasurementSubmittedEvent(bondId, command.measurementId(), evaluator, command.measurement(),
                command.evidenceRef(), command.supersedes()), metaData, command);
        if (command.supersedes() != null) {
            record(new MeasurementSupersededEvent(bondId, command.supersedes(), command.measurementId()), metaData, command);
        }
    }

    @CommandHandler
    void handle(DecideOnMeasurementCommand command, MetaData metaData) {
        String payer = requirePayer(metaData);
        Submitted measurement = requireMeasurement(command.measurementId());
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
        switch (command.decision()) {
            case APPROVE -> {
                requireUndecidedBy(measurement, payer, "approved");
                requireStatus(BondStatus.OPEN, "approve measurements on");
                approve(measurement, payer, command.reason(), metaData, command);
            }
            case REJECT -> {
                requireUndecidedBy(measurement, payer, "rejected");
                Refusals.requireText("/reason", command.reason());
                record(new MeasurementRejectedEvent(bondId, measurement.measurementId(), payer, command.reason()),
                        metaData, command);
            }
            case DISPUTE -> {
                Refusals.requireText("/reason", command.reason());
                if (measurement.status() != MeasurementStatus.SUBMITTED && measurement.status() != MeasurementStatus.APPROVED) {
                    throw Refusals.conflict("already-decided", "Measurement '" + measurement.measurementId() + "' is "
                            + measurement.status() + " and cannot be disputed");
                }
                if (payoutsOf(measurement.measurementId()).stream().anyMatch(p -> p.status() == PayoutStatus.SETTLED)) {
                    throw Refusals.conflict("payout-settled", "A payout of measurement '" + measurement.measurementId()
                            + "' is settled already; it cannot be disputed");
                }
                record(new MeasurementDisputedEvent(bondId, measurement.measurementId(), payer, command.reason()),
                        metaData, command);
            }
        }
    }

    @CommandHandler
    void handle(ResolveDisputeCommand command, MetaData metaData) {
        // DOMAIN.md: the bond's independent reviewer resolves a dispute; never who raised it, nor who submitted
        String payer = requireRole(metaData, PartyRole.REVIEWER);
        Submitted measurement = requireMeasurement(command.measurementId());
        if (measurement.status() != MeasurementStatus.DISPUTED) {
            throw Refusals.conflict("not-disputed", "Measurement '" + measurement.measurementId() + "' is not disputed");
        }
        if (measurement.evaluatorId().equals(payer)) {
            throw Refusals.forbidden("own-measurement", "Who submitted a measurement can never decide on it");
        }
        if (payer.equals(measurement.disputedBy())) {
            throw Refusals.forbidden("own-dispute", "Who raised a dispute never resolves it");
        }
        if (command.resolution() == null) {
            throw Refusals.invalid("missing-field", "/resolution", "is required: UPHOLD or REJECT");
        }
        Refusals.requireText("/reason", command.reason());
        record(new DisputeResolvedEvent(bondId, measurement.measurementId(), payer, command.resolution(),
                command.reason()), metaData, command);
        if (command.resolution() == DisputeResolution.UPHOLD && !measurement.wasApproved()) {
            requireStatus(BondStatus.OPEN, "approve measurements on");
            // upheld before any approval: approved for the payer whose dispute the reviewer resolved
            approve(measurements.get(measurement.measurementId()), measurement.disputedBy(), command.reason(), metaData,
                    command);
        } else {
            reconcile((command.resolution() == DisputeResolution.REJECT ? "measurement '" + measurement.measurementId()
                    + "' rejected on dispute: " : "dispute over measurement '" + measurement.measurementId()
                    + "' resolved in its favour: ") + command.reason(), metaData, command);
        }
    }

    @CommandHandler
    void handle(SettlePayoutCommand command, MetaData metaData) {
        String payer = requirePayer(metaData);
        Payout payout = payouts.get(command.payoutId());
        if (payout == null) {
            throw Refusals.notFound("unknown-payout", "No payout '" + command.payoutId() + "' on this bond");
        }
        if (!payout.payerId().equals(payer)) {
            throw Refusals.forbidden("not-the-payer", "Payout '" + payout.payoutId() + "' is owed by '"
                    + payout.payerId() + "', not '" + payer + "'");
        }
        if (payout.payable().signum() == 0) {
            throw Refusals.conflict("nothing-due", "Payout '" + payout.payoutId() + "' was capped to nothing; there is nothing to settle");
        }
        if (payout.payable().signum() < 0) {
            throw Refusals.conflict("credit-set-off", "Payout '" + payout.payoutId() + "' is a credit to " + payer
                    + "; it is set off when " + payer + " settles its next payout of this bond");
        }
        if (payout.status() != PayoutStatus.TRIGGERED) {
            throw Refusals.conflict("payout-not-payable", "Payout '" + payout.payoutId() + "' is " + payout.status());
        }
        record(new PayoutSettledEvent(bondId, payout.payoutId(), payer, payout.payable()), metaData, command);
        // Open credits of this payer (what it settled above what is now due) are set off against this payout, oldest
        // first, each whole while the payout covers it: the payer's cash is the payout less the credits set off.
        BigDecimal left = payout.payable();
        for (Payout credit : List.copyOf(payouts.values())) {
            if (credit.payerId().equals(payer) && credit.status() == PayoutStatus.TRIGGERED
                    && credit.payable().signum() < 0 && credit.payable().negate().compareTo(left) <= 0) {
                record(new PayoutSettledEvent(bondId, credit.payoutId(), payer, credit.payable()), metaData, command);
                left = left.add(credit.payable());
            }
        }
    }

    /** The ids of the bond's cohorts, in the order they were opened: what an evaluator's form offers. */
    public List<String> cohortIds() {
        return List.copyOf(cohorts.keySet());
    }

    /**
     * What approving a submitted measurement on {@code on} would trigger, after every cap, decided exactly as the
     * approval would decide it and recorded nowhere: for a payer's decision. Empty when it is not awaiting a decision.
     */
    public List<DuePayout> previewApproval(String measurementId, java.time.LocalDate on) {
        Submitted measurement = measurements.get(measurementId);
        if (measurement == null || measurement.status() != MeasurementStatus.SUBMITTED || status != BondStatus.OPEN) {
            return List.of();
        }
        List<ApprovedMeasurement> after = new ArrayList<>(approved);
        after.add(new ApprovedMeasurement(measurement.measurementId(), measurement.measurement(), on,
                measurement.outcomeOn()));
        Map<String, List<String>> forShares = new HashMap<>(approvedFor);
        forShares.remove(measurementId);
        return PayoutBook.reconcile(terms.currency(), entitlement(after, forShares), liveLines(), disputed()).trigger();
    }

    private void approve(Submitted measurement, String payer, String reason, MetaData metaData, Object command) {
        record(new MeasurementApprovedEvent(bondId, measurement.measurementId(), payer, reason), metaData, command);
        reconcile("re-booked on the approval of measurement '" + measurement.measurementId() + "'", metaData, command);
    }

    /**
     * Books what is due now: the entitlement of everything approved, through the caps, against what is booked and
     * live ({@link PayoutBook}). Runs after every change to what is approved or to what prices it, so a positive
     * difference is triggered at once and a negative one cancels unsettled lines or records a credit. A new line's
     * id derives from the bond, its unit and how many lines the unit had before, so it is never recorded twice.
     *
     * @param why the reason given on the lines this cancels
     */
    private void reconcile(String why, MetaData metaData, Object command) {
        PayoutBook.Plan plan = PayoutBook.reconcile(terms.currency(), entitlement(approved, approvedFor), liveLines(),
                disputed());
        for (String payoutId : plan.cancel()) {
            record(new PayoutCancelledEvent(bondId, payoutId, why), metaData, command);
        }
        Map<String, Integer> linesPerUnit = new HashMap<>();
        if (!plan.trigger().isEmpty()) {
            payouts.values().forEach(p -> linesPerUnit.merge(p.unit(), 1, Integer::sum));
        }
        for (DuePayout line : plan.trigger()) {
            int earlier = linesPerUnit.merge(line.key(), 1, Integer::sum) - 1;
            String payoutId = Payout.idOf(bondId + "\u0000" + line.key() + "#" + earlier);
            record(new PayoutTriggeredEvent(bondId, payoutId, line.measurementId(), line.payerId(), line.metric(),
                    line.cohortId(), line.participantRef(), line.gross(), line.payable(), line.capped(), line.rule(),
                    line.termsVersion()), metaData, command);
        }
    }

    /**
     * The entitlement of what is approved, each payer's lines from what is approved for its share: where every
     * approval is for every payer (one payer, a lead payer, or all payers approved) that is one computation.
     */
    private List<DuePayout> entitlement(List<ApprovedMeasurement> approvals, Map<String, List<String>> forShares) {
        List<String> payers = terms.parties().outcomePayers().stream().map(BondTerms.OutcomePayer::id).toList();
        if (approvals.stream().allMatch(a -> forShares.getOrDefault(a.measurementId(), payers).containsAll(payers))) {
            return PaymentMechanisms.entitlement(terms, termsHistory(), pricingFacts(), List.copyOf(approvals));
        }
        List<DuePayout> lines = new ArrayList<>();
        for (String payer : payers) {
            List<ApprovedMeasurement> mine = approvals.stream()
                    .filter(a -> forShares.getOrDefault(a.measurementId(), payers).contains(payer)).toList();
            PaymentMechanisms.entitlement(terms, termsHistory(), pricingFacts(), mine).stream()
                    .filter(line -> line.payerId().equals(payer)).forEach(lines::add);
        }
        return lines;
    }

    private TermsHistory termsHistory() {
        return TermsHistory.of(termsVersions);
    }

    /** The lines booked and live: triggered, held or settled. */
    private List<PayoutBook.Line> liveLines() {
        List<PayoutBook.Line> live = new ArrayList<>(payouts.size());
        for (Payout p : payouts.values()) {
            if (p.status() != PayoutStatus.CANCELLED) {
                live.add(new PayoutBook.Line(p.payoutId(), p.measurementId(), p.metric(), p.cohortId(),
                        p.participantRef(), p.payerId(), p.payable(), p.capped(), p.status() == PayoutStatus.SETTLED,
                        p.termsVersion()));
            }
        }
        return live;
    }

    /** Measurements under dispute: their lines are held, and re-booked only once the dispute is resolved. */
    private java.util.Set<String> disputed() {
        java.util.Set<String> disputed = new java.util.HashSet<>();
        measurements.values().forEach(m -> {
            if (m.status() == MeasurementStatus.DISPUTED) {
                disputed.add(m.measurementId());
            }
        });
        return disputed;
    }

    // ---------------------------------------------------------------- event sourcing

    @EventSourcingHandler
    void on(BondStructuredEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        this.bondId = event.bondId();
        this.terms = event.terms();
        this.status = BondStatus.STRUCTURED;
        this.termsVersions = new ArrayList<>(TermsHistory.of(event.terms().paymentMechanism()).versions());
    }

    @EventSourcingHandler
    void on(PartyAdmittedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        this.terms = BondParties.admit(terms, event.role(), event.partyId());
    }

    @EventSourcingHandler
    void on(AmendmentProposedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        proposal = new Amendments.Proposal(event.proposalId(), event.proposedTerms(), event.reason(),
                event.effectiveFrom(), event.consentNeededFrom(), List.of());
        proposalIds.add(event.proposalId());
    }

    @EventSourcingHandler
    void on(AmendmentConsentedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        proposal = proposal.consentedBy(event.partyId());
    }

    @EventSourcingHandler
    void on(AmendmentDeclinedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        proposal = null;
    }

    @EventSourcingHandler
    void on(TermsAmendedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        this.proposal = null;
        this.terms = event.terms();
        this.termsVersions = new ArrayList<>(termsHistory().amended(event.effectiveFrom(),
                event.terms().paymentMechanism()).versions());
    }

    @EventSourcingHandler
    void on(BondOpenedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        this.status = BondStatus.OPEN;
    }

    @EventSourcingHandler
    void on(BondMaturedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        this.status = BondStatus.MATURED;
    }

    @EventSourcingHandler
    void on(BondClosedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        this.status = BondStatus.CLOSED;
    }

    @EventSourcingHandler
    void on(CommitmentMadeEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        positions.put(positionKey(event.investorId(), event.tranche()),
                InvestorPosition.open(event.investorId(), event.tranche()).committed(event.amount()));
    }

    @EventSourcingHandler
    void on(CommitmentIncreasedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        positions.computeIfPresent(positionKey(event.investorId(), event.tranche()),
                (k, p) -> p.committed(event.amount()));
    }

    @EventSourcingHandler
    void on(CommitmentWithdrawnEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        positions.remove(positionKey(event.investorId(), event.tranche()));
    }

    @EventSourcingHandler
    void on(CapitalCalledEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        Map<String, BigDecimal> allocated = new LinkedHashMap<>();
        for (var allocation : event.allocations()) {
            String key = positionKey(allocation.investorId(), allocation.tranche());
            allocated.put(key, allocation.amount());
            positions.computeIfPresent(key, (k, p) -> p.called(allocation.amount()));
        }
        calls.put(event.callId(), new Call(event.callId(), allocated, new LinkedHashMap<>()));
    }

    @EventSourcingHandler
    void on(CapitalCallFundedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        String key = positionKey(event.investorId(), event.tranche());
        calls.get(event.callId()).funded().merge(key, event.amount(), BigDecimal::add);
        positions.computeIfPresent(key, (k, p) -> p.funded(event.fundedOn(), event.amount()));
        moneyIn = moneyIn.add(event.amount());
    }

    @EventSourcingHandler
    void on(FundsDisbursedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        disbursements.add(event.disbursementId());
        moneyOut = moneyOut.add(event.amount());
    }

    @EventSourcingHandler
    void on(DistributionMadeEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        distributions.add(event.distributionId());
        for (DistributionLine line : event.lines()) {
            positions.computeIfPresent(positionKey(line.investorId(), line.tranche()),
                    (k, p) -> p.distributed(event.date(), line.principal(), line.investorReturn()));
        }
        moneyOut = moneyOut.add(event.amount());
    }

    @EventSourcingHandler
    void on(GuaranteeCalledEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        guaranteeCalled = true;
        for (GuaranteePaymentLine payment : event.payments()) {
            positions.computeIfPresent(positionKey(payment.investorId(), payment.tranche()),
                    (k, p) -> p.distributed(event.date(), payment.amount(), BigDecimal.ZERO));
            positions.computeIfPresent(positionKey(payment.guarantorId(), payment.guaranteeTranche()),
                    (k, p) -> p.called(payment.amount()).funded(event.date(), payment.amount()));
            // the guarantor's money passes through the bond to the investor
            moneyIn = moneyIn.add(payment.amount());
            moneyOut = moneyOut.add(payment.amount());
        }
    }

    @EventSourcingHandler
    void on(CohortOpenedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        cohorts.put(event.cohortId(), new Cohort(event.cohortId(), event.size(), 0, event.startDate()));
    }

    @EventSourcingHandler
    void on(ParticipantsEnrolledEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        event.participantRefs().forEach(ref -> participants.put(ref, event.cohortId()));
        cohorts.computeIfPresent(event.cohortId(), (k, c) -> new Cohort(c.cohortId(), c.size(),
                c.enrolled() + event.participantRefs().size(), c.startDate()));
    }

    @EventSourcingHandler
    void on(MeasurementSubmittedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        measurements.put(event.measurementId(), new Submitted(event.measurementId(), event.evaluatorId(),
                event.measurement(), MeasurementStatus.SUBMITTED, false, today(metaData), null));
    }

    @EventSourcingHandler
    void on(MeasurementSupersededEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        measurements.computeIfPresent(event.measurementId(), (k, m) -> m.withStatus(MeasurementStatus.SUPERSEDED));
    }

    @EventSourcingHandler
    void on(MeasurementApprovedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        Submitted m = measurements.get(event.measurementId());
        measurements.put(m.measurementId(), new Submitted(m.measurementId(), m.evaluatorId(), m.measurement(),
                MeasurementStatus.APPROVED, true, m.submittedOn(), m.disputedBy()));
        if (!m.wasApproved()) {
            // a later payer's approval of its own share adds no second entry (a result rejected on review, whose
            // entry was removed, is decided for every payer and cannot be approved again)
            approved.add(new ApprovedMeasurement(m.measurementId(), m.measurement(), today(metaData), m.outcomeOn()));
        }
        decided(event.measurementId(), event.payerId());
        // one payer's approval is for its own share, unless it binds every payer (the only payer, or the lead)
        List<String> shares = perShare() ? List.of(event.payerId())
                : terms.parties().outcomePayers().stream().map(BondTerms.OutcomePayer::id).toList();
        List<String> forShares = new ArrayList<>(approvedFor.getOrDefault(event.measurementId(), List.of()));
        shares.stream().filter(payer -> !forShares.contains(payer)).forEach(forShares::add);
        approvedFor.put(event.measurementId(), forShares);
    }

    private void decided(String measurementId, String payerId) {
        List<String> payers = new ArrayList<>(decidedBy.getOrDefault(measurementId, List.of()));
        payers.add(payerId);
        decidedBy.put(measurementId, payers);
    }

    @EventSourcingHandler
    void on(MeasurementRejectedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        // a payer rejecting its share of a result another approved leaves the result approved for that one
        measurements.computeIfPresent(event.measurementId(), (k, m) -> m.status() == MeasurementStatus.APPROVED
                ? m : m.withStatus(MeasurementStatus.REJECTED));
        decided(event.measurementId(), event.payerId());
    }

    @EventSourcingHandler
    void on(MeasurementDisputedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        measurements.computeIfPresent(event.measurementId(), (k, m) -> m.withStatus(MeasurementStatus.DISPUTED)
                .withDisputedBy(event.payerId()));
        movePayouts(event.measurementId(), PayoutStatus.TRIGGERED, PayoutStatus.HELD);
    }

    @EventSourcingHandler
    void on(DisputeResolvedEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        Submitted m = measurements.get(event.measurementId());
        if (event.resolution() == DisputeResolution.REJECT) {
            measurements.put(m.measurementId(), m.withStatus(MeasurementStatus.REJECTED));
            approved.removeIf(a -> a.measurementId().equals(m.measurementId()));
            approvedFor.remove(m.measurementId());
            // the reviewer's verdict ends the result for every payer, including one that had not decided on it yet
            decidedBy.put(m.measurementId(), terms.parties().outcomePayers().stream().map(BondTerms.OutcomePayer::id)
                    .toList());
        } else if (m.wasApproved()) {
            measurements.put(m.measurementId(), m.withStatus(MeasurementStatus.APPROVED));
            movePayouts(m.measurementId(), PayoutStatus.HELD, PayoutStatus.TRIGGERED);
        } else {
            measurements.put(m.measurementId(), m.withStatus(MeasurementStatus.SUBMITTED));
        }
    }

    @EventSourcingHandler
    void on(PayoutTriggeredEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        payouts.put(event.payoutId(), new Payout(event.payoutId(), event.measurementId(), event.payerId(),
                event.metric(), event.cohortId(), event.participantRef(), event.payable(), event.capped(),
                event.termsVersion() == null ? 1 : event.termsVersion(), PayoutStatus.TRIGGERED));
    }

    @EventSourcingHandler
    void on(PayoutCancelledEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        payouts.computeIfPresent(event.payoutId(), (k, p) -> p.withStatus(PayoutStatus.CANCELLED));
    }

    @EventSourcingHandler
    void on(PayoutSettledEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        payouts.computeIfPresent(event.payoutId(), (k, p) -> p.withStatus(PayoutStatus.SETTLED));
        moneyIn = moneyIn.add(event.amount());
    }

    // ---------------------------------------------------------------- helpers

    /** The payouts of one measurement that are in status {@code from} move to {@code to}. */
    private void movePayouts(String measurementId, PayoutStatus from, PayoutStatus to) {
        payouts.replaceAll((id, p) -> measurementId.equals(p.measurementId()) && p.status() == from
                ? p.withStatus(to) : p);
    }

    /** Applies an event with its audit metadata, chained to the previous event's hash. */
    private void record(Object event, MetaData commandMetaData, Object command) {
        long sequence = lastSequence + 1;
        MetaData audit = Audit.of(commandMetaData);
        if (commandMetaData.get(AuditMetadata.IDEMPOTENCY_KEY) != null) {
            // only a key is ever compared with the fingerprint (a retry under the same key must be the same command);
            // without one it would be two serializations and a SHA-256 per command for nothing
            audit = audit.and(Audit.COMMAND_FINGERPRINT, Audit.fingerprint(command));
        }
        String id = bondId != null ? bondId : ((BondStructuredEvent) event).bondId();
        String hash = HashChain.hash(lastHash, id, sequence, event.getClass().getName(), event, audit);
        apply(event, audit.and(AuditMetadata.PREVIOUS_HASH, lastHash).and(AuditMetadata.HASH, hash));
    }

    /**
     * Moves the chain's head and remembers the command's idempotency key; every event sourcing handler calls it
     * first, because Axon invokes only the most specific handler of an event, so a catch-all would never run.
     */
    private void chained(long sequence, MetaData metaData) {
        this.lastSequence = sequence;
        this.lastHash = String.valueOf(metaData.get(AuditMetadata.HASH));
        Object key = metaData.get(AuditMetadata.IDEMPOTENCY_KEY);
        Object fingerprint = metaData.get(Audit.COMMAND_FINGERPRINT);
        if (key != null && fingerprint != null) {
            idempotencyKeys.putIfAbsent(keyOf(key, metaData), fingerprint.toString());
        }
    }

    /** Keys are the client's: two principals choosing the same key never collide, as at the REST layer. */
    private static String keyOf(Object key, MetaData metaData) {
        return metaData.getOrDefault(AuditMetadata.ACTOR, "") + "\u0000" + key;
    }

    /** True when this exact command was handled already under its idempotency key; refused when the key was used for another. */
    private boolean isRetry(Object command, MetaData metaData) {
        Object key = metaData.get(AuditMetadata.IDEMPOTENCY_KEY);
        if (key == null) {
            return false;
        }
        String seen = idempotencyKeys.get(keyOf(key, metaData));
        if (seen == null) {
            return false;
        }
        if (seen.equals(Audit.fingerprint(command))) {
            return true;
        }
        throw Refusals.conflict("idempotency-key-reused", "Idempotency key '" + key
                + "' was already used by this principal on this bond for a different command");
    }

    private PricingFacts pricingFacts() {
        boolean matured = status == BondStatus.MATURED || status == BondStatus.CLOSED;
        Map<String, Integer> sizes = new HashMap<>();
        cohorts.forEach((id, c) -> sizes.put(id, c.size()));
        BigDecimal funded = positions.values().stream().map(InvestorPosition::funded).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new PricingFacts(sizes, funded, matured);
    }

    BigDecimal cash() {
        return moneyIn.subtract(moneyOut);
    }

    private void requireCash(BigDecimal amount) {
        if (amount.compareTo(cash()) > 0) {
            throw Refusals.conflict("insufficient-cash", "The bond holds " + cash().toPlainString() + " "
                    + terms.currency() + ", less than " + amount.toPlainString());
        }
    }

    private List<Payout> payoutsOf(String measurementId) {
        return payouts.values().stream().filter(p -> measurementId.equals(p.measurementId())).toList();
    }

    private Submitted requireMeasurement(String measurementId) {
        Submitted measurement = measurementId == null ? null : measurements.get(measurementId);
        if (measurement == null) {
            throw Refusals.notFound("unknown-measurement", "No measurement '" + measurementId + "' on this bond");
        }
        return measurement;
    }

    /**
     * A payer decides once on a measurement: while it awaits decisions (submitted), or, where each payer decides for
     * its own share, after another payer decided (approved or rejected for that payer's share) until this one has.
     */
    private void requireUndecidedBy(Submitted measurement, String payer, String verb) {
        boolean open = measurement.status() == MeasurementStatus.SUBMITTED
                || perShare() && (measurement.status() == MeasurementStatus.APPROVED
                || measurement.status() == MeasurementStatus.REJECTED);
        if (!open || decidedBy.getOrDefault(measurement.measurementId(), List.of()).contains(payer)) {
            throw Refusals.conflict("already-decided", "Measurement '" + measurement.measurementId() + "' is "
                    + measurement.status() + (open ? " and " + payer + " has decided on it already" : "")
                    + "; it cannot be " + verb);
        }
    }

    /** Several payers and no lead: each decides for its own share. */
    private boolean perShare() {
        return terms.parties().outcomePayers().size() > 1 && terms.leadPayer().isEmpty();
    }

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

    private boolean isGuarantee(String trancheId) {
        return terms.investorTerms() != null && terms.investorTerms().tranches().stream()
                .anyMatch(t -> t.id().equals(trancheId) && t.kind() == BondTerms.Tranche.Kind.GUARANTEE);
    }

    private void requireTranche(String tranche) {
        boolean known = terms.investorTerms() != null && terms.investorTerms().tranches().stream()
                .anyMatch(t -> t.id().equals(tranche));
        if (!known) {
            throw Refusals.invalid("unknown-tranche", "/tranche", "'" + tranche + "' is not a tranche of this bond");
        }
    }

    private InvestorPosition requirePosition(String investorId, String tranche) {
        InvestorPosition position = positions.get(positionKey(investorId, tranche));
        if (position == null) {
            throw Refusals.notFound("no-commitment", investorId + " has no commitment in tranche '" + tranche + "'");
        }
        return position;
    }

    private void requireArranger(MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        if (!actor.equals(terms.parties().arranger())) {
            throw Refusals.forbidden("not-the-arranger", "Only the arranger of this bond ('"
                    + terms.parties().arranger() + "') may do this, not '" + actor + "'");
        }
    }

    private String requireInvestor(MetaData metaData, String investorId) {
        String actor = requireRole(metaData, PartyRole.INVESTOR);
        if (investorId != null && !investorId.equals(actor)) {
            throw Refusals.forbidden("not-that-investor", "'" + actor + "' cannot act for investor '" + investorId + "'");
        }
        return actor;
    }

    private String requireRole(MetaData metaData, PartyRole role) {
        String actor = Audit.requireActor(metaData);
        if (!BondParties.has(terms, role, actor)) {
            String name = role.name().toLowerCase().replace('_', '-');
            throw Refusals.forbidden(("aeiou".indexOf(name.charAt(0)) >= 0 ? "not-an-" : "not-a-") + name, "'" + actor
                    + "' is not named as " + role + " in this bond's terms");
        }
        return actor;
    }

    private String requirePayer(MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        if (terms.parties().outcomePayers().stream().noneMatch(p -> p.id().equals(actor))) {
            throw Refusals.forbidden("not-an-outcome-payer", "'" + actor
                    + "' is not named as an outcome payer in this bond's terms");
        }
        return actor;
    }

    private static LocalDate today(MetaData metaData) {
        Object occurredAt = metaData.get(AuditMetadata.OCCURRED_AT);
        Instant instant = occurredAt == null ? Instant.EPOCH : Instant.parse(occurredAt.toString());
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }

    // ---------------------------------------------------------------- state, for tests and snapshots

    BigDecimal moneyIn() {
        return moneyIn;
    }

    BondTerms currentTerms() {
        return terms;
    }

    /** The variation awaiting consent, for the bond's parties to see; empty when there is none. */
    public java.util.Optional<org.sibledger.contracts.bond.AmendmentProposalView> openProposal() {
        return java.util.Optional.ofNullable(proposal).map(p -> new org.sibledger.contracts.bond.AmendmentProposalView(
                bondId, p.proposalId(), terms, p.terms(), p.reason(), p.effectiveFrom(), p.needed(), p.consented(),
                p.awaiting()));
    }

    BigDecimal moneyOut() {
        return moneyOut;
    }

    enum MeasurementStatus { SUBMITTED, APPROVED, REJECTED, DISPUTED, SUPERSEDED }

    enum PayoutStatus { TRIGGERED, HELD, SETTLED, CANCELLED }

    static String positionKey(String investorId, String tranche) {
        return investorId + "/" + tranche;
    }

    record Call(String callId, Map<String, BigDecimal> allocated, Map<String, BigDecimal> funded) {
        BigDecimal fundedOf(String key) {
            return funded.getOrDefault(key, BigDecimal.ZERO);
        }
    }

    record Cohort(String cohortId, int size, int enrolled, LocalDate startDate) {
    }

    record Submitted(String measurementId, String evaluatorId, Measurement measurement, MeasurementStatus status,
                     boolean wasApproved, LocalDate submittedOn, String disputedBy) {
        Submitted withStatus(MeasurementStatus value) {
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

    record Payout(String payoutId, String measurementId, String payerId, String metric, String cohortId,
                  String participantRef, BigDecimal payable, BigDecimal capped, int termsVersion, PayoutStatus status) {
        static String idOf(String key) {
            return "po-" + Audit.sha256(key).substring(0, 20);
        }

        String unit() {
            return PayoutBook.unitOf(measurementId, metric, cohortId, participantRef, payerId);
        }

        Payout withStatus(PayoutStatus value) {
            return new Payout(payoutId, measurementId, payerId, metric, cohortId, participantRef, payable, capped,
                    termsVersion, value);
        }
    }
}
