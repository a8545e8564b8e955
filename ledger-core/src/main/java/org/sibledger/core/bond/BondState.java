package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateMember;
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
import org.sibledger.contracts.bond.PartyAdmittedEvent;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CommitmentIncreasedEvent;
import org.sibledger.contracts.investment.CommitmentMadeEvent;
import org.sibledger.contracts.investment.CommitmentWithdrawnEvent;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundsDisbursedEvent;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.core.mechanism.DuePayout;
import org.sibledger.core.mechanism.PayoutBook;
import org.sibledger.core.mechanism.PricingFacts;
import org.sibledger.core.mechanism.TermsHistory;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a bond knows, and how each event it records changes that: the root's own state (terms, status, the variation
 * awaiting consent) sourced here, its members' ({@link BondChain}, {@link Investors}, {@link Cohorts},
 * {@link Measurements}, {@link Payouts}) in each member. {@link Bond} decides on commands over this state; the split
 * keeps deciding apart from applying. Here too are the status checks the handlers share, the recording of an event
 * and of a booking, and what the parties may ask without a command: the previews of what a command would record
 * (decided by the same code the command runs, recorded nowhere) and the views of the bond's state.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class BondState {

    @AggregateIdentifier
    String bondId;
    BondTerms terms;
    BondStatus status;
    /** The payment mechanism as structured and as amended, each from its effective date: what prices each outcome. */
    List<TermsHistory.Version> termsVersions = new ArrayList<>();
    /** The variation awaiting consent, if any, and the ids of every proposal made. */
    Amendments.Proposal proposal;
    List<String> proposalIds = new ArrayList<>();

    /**
     * The payment mechanism's running state ({@link Booking}): kept while the bond is held in memory between its
     * commands, computed again from the approvals after a load, so not part of a snapshot (nor of the state the
     * event sourcing handlers rebuild).
     */
    @JsonIgnore
    transient Booking booking;

    @AggregateMember
    BondChain chain = new BondChain();
    @AggregateMember
    Investors investors = new Investors();
    @AggregateMember
    Cohorts cohorts = new Cohorts();
    @AggregateMember
    Measurements measurements = new Measurements();
    @AggregateMember
    Payouts payouts = new Payouts();

    PricingFacts pricingFacts() {
        boolean matured = status == BondStatus.MATURED || status == BondStatus.CLOSED;
        return new PricingFacts(cohorts.sizes(), investors.funded(), matured);
    }

    /** Records an event decided here or by a member: chained to the previous event's hash, with its audit metadata. */
    void record(Object event, MetaData commandMetaData, Object command) {
        chain.record(bondId, event, commandMetaData, command);
    }

    /** Records the approval and books what it makes due ({@link Booking#afterApproval}). */
    void approve(String measurementId, String payer, String reason, MetaData metaData, Object command) {
        record(new MeasurementApprovedEvent(bondId, measurementId, payer, reason), metaData, command);
        book(Booking.afterApproval(this, measurementId), "re-booked on the approval of measurement '" + measurementId
                + "'", metaData, command);
    }

    /** Books what is due now after any other change to what is approved or prices it ({@link Booking#afterAnyChange}). */
    void reconcile(String why, MetaData metaData, Object command) {
        book(Booking.afterAnyChange(this), why, metaData, command);
    }

    /** Records a booking's cancellations and new lines; {@code why} is the reason given on the lines it cancels. */
    private void book(PayoutBook.Plan plan, String why, MetaData metaData, Object command) {
        payouts.book(bondId, plan, why).forEach(event -> record(event, metaData, command));
    }

    // ---------------------------------------------------------------- status and terms

    void requireStatus(BondStatus expected, String verb) {
        if (status != expected) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "Cannot " + verb + " a bond that is "
                    + status + " (it must be " + expected + ")").with(status, expected);
        }
    }

    void requireNotEnded() {
        if (status == BondStatus.MATURED || status == BondStatus.CLOSED) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "The bond is " + status)
                    .worded("ended", status);
        }
    }

    void requireCommitmentsOpen() {
        if (!commitmentsOpen()) {
            throw Refusals.conflict("commitments-closed", "Commitments closed when the bond opened");
        }
    }

    /** Before the bond opens, or while it is open where its terms take commitments after opening. */
    boolean commitmentsOpen() {
        boolean later = terms.investorTerms() != null && terms.investorTerms().allowCommitmentsAfterOpening();
        return status == BondStatus.STRUCTURED || (later && status == BondStatus.OPEN);
    }

    void requireTranche(String tranche) {
        boolean known = terms.investorTerms() != null && terms.investorTerms().tranches().stream()
                .anyMatch(t -> t.id().equals(tranche));
        if (!known) {
            throw Refusals.invalid("unknown-tranche", "/tranche", "'" + tranche + "' is not a tranche of this bond")
                    .with(tranche);
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

    // ---------------------------------------------------------------- money moving, decided before it is recorded

    /**
     * The capital call the command would record (each investor's share of it), decided exactly as the command decides
     * it; the command records this, and the arranger's confirmation shows it first without recording anything.
     */
    public CapitalCalledEvent previewCapitalCall(CallCapitalCommand command) {
        requireStatus(BondStatus.OPEN, "call capital on");
        return investors.call(bondId, terms, command);
    }

    /** The disbursement the command would record, decided as the command decides it. */
    public FundsDisbursedEvent previewDisbursement(DisburseFundsCommand command) {
        if (status == BondStatus.CLOSED) {
            throw Refusals.conflict("bond-closed", "The bond is CLOSED").worded("ended", status);
        }
        return investors.disburse(bondId, terms, command);
    }

    /** The distribution the command would record: the waterfall's line for each investor and tranche, and the excess. */
    public DistributionMadeEvent previewDistribution(DistributeCommand command) {
        if (status != BondStatus.OPEN && status != BondStatus.MATURED) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "Distributions are made while the bond is open or matured")
                    .worded("distribute", status);
        }
        return investors.distribute(bondId, terms, command);
    }

    /** The guarantee call the command would record: what each guarantor pays to which investor. */
    public GuaranteeCalledEvent previewGuaranteeCall(CallGuaranteeCommand command) {
        requireStatus(BondStatus.MATURED, "call the guarantees of");
        return investors.callGuarantees(bondId, terms, command);
    }

    /**
     * What the investor's funding of a capital call would record (one event per tranche it was called in), decided by
     * the code the command runs, for the investor {@code command.investorId()} names: the caller has checked that it
     * is the one asking. Refused as the command would be (an unknown call, no share in it, more than is outstanding).
     */
    public List<CapitalCallFundedEvent> previewFunding(FundCapitalCallCommand command, LocalDate today) {
        return investors.fund(bondId, terms.currency(), command.investorId(), command, today);
    }

    /**
     * What the investor's commitment would record, decided by the code the command runs, for the investor
     * {@code command.investorId()} names (the caller has checked that it is the one asking): the command records this,
     * and the investor's confirmation shows it first without recording anything.
     */
    public CommitmentMadeEvent previewCommitment(MakeCommitmentCommand command) {
        requireCommitmentsOpen();
        Amendments.requireAskedIfAffected(proposal, terms, command.investorId());
        requireTranche(command.tranche());
        Refusals.requireAmount("/amount", command.amount(), terms.currency());
        return investors.commit(bondId, command.investorId(), command.tranche(), command.amount());
    }

    /** What the investor's increase of its commitment would record (its total after), as {@link #previewCommitment}. */
    public CommitmentIncreasedEvent previewIncrease(IncreaseCommitmentCommand command) {
        requireCommitmentsOpen();
        Amendments.requireAskedIfAffected(proposal, terms, command.investorId());
        return investors.increase(bondId, command.investorId(), command.tranche(), command.amount(), terms.currency());
    }

    /** What the investor's withdrawal of its commitment would record (all of it), as {@link #previewCommitment}. */
    public CommitmentWithdrawnEvent previewWithdrawal(WithdrawCommitmentCommand command) {
        if (status != BondStatus.STRUCTURED) {
            throw Refusals.conflict("bond-open", "Commitments can be withdrawn only before the bond opens")
                    .worded("withdraw");
        }
        return investors.withdraw(bondId, command.investorId(), command.tranche());
    }

    /**
     * What approving a submitted measurement on {@code on} would trigger, after every cap, decided exactly as the
     * approval would decide it and recorded nowhere ({@link Booking#preview}): for a payer's decision.
     */
    public List<DuePayout> previewApproval(String measurementId, LocalDate on) {
        return Booking.preview(this, measurementId, on);
    }

    // ---------------------------------------------------------------- state, for the parties, tests and snapshots

    /** The cash the bond holds now: money in less money out, what a disbursement or distribution may pay. */
    public BigDecimal cashHeld() {
        return investors.cash();
    }

    /** The variation awaiting consent, for the bond's parties to see; empty when there is none. */
    public Optional<AmendmentProposalView> openProposal() {
        return Optional.ofNullable(proposal).map(p -> p.view(bondId, terms));
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

    /**
     * One investor's own commitments and shares of the capital calls, and whether the bond takes commitments (made or
     * increased) and withdrawals now: what its pages offer it to do. Holds no other investor's figures.
     */
    public InvestorStanding standingOf(String investorId) {
        return investors.standing(investorId, commitmentsOpen(), status == BondStatus.STRUCTURED);
    }

    /** The ids of the bond's cohorts, in the order they were opened: what an evaluator's form offers. */
    public List<String> cohortIds() {
        return List.copyOf(cohorts.byId().keySet());
    }
}
