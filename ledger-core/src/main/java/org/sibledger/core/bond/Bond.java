package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.serialization.Revision;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.AmendmentConsentedEvent;
import org.sibledger.contracts.bond.AmendmentDeclinedEvent;
import org.sibledger.contracts.bond.AmendmentProposedEvent;
import org.sibledger.contracts.bond.BondClosedEvent;
import org.sibledger.contracts.bond.BondMaturedEvent;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondStructuredEvent;
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
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.sibledger.core.bond.Measurements.Submitted;
import org.sibledger.core.mechanism.PaymentMechanisms;

import java.math.BigDecimal;
import java.util.List;

/**
 * A social impact bond: the consistency boundary of everything that happens to one bond. The root keeps the terms,
 * the status, the variation awaiting consent ({@link BondState}) and who may act ({@link Authority}); its members keep the rest: the
 * hash chain and idempotency keys ({@link BondChain}), the investors and cash ({@link Investors}), the cohorts
 * ({@link Cohorts}), the measurements and decisions ({@link Measurements}) and the payouts ({@link Payouts}). A
 * command handler checks who acts and the status, asks a member to decide, and records what it decided; the event
 * sourcing handlers only change state. This class holds the command handlers alone: what the parties may ask without
 * a command (the previews of a capital call, a disbursement, a distribution, a guarantee call or an approval, and the
 * views) and the recording of a booking are on {@link BondState}, deciding through the members and {@link Booking}.
 * Every event is linked into the bond's hash chain and carries who acted, when and under which idempotency key; a
 * command retried with the same key records nothing new, so each approval triggers its payouts exactly once however
 * often it is redelivered.
 * <p>
 * Invariants kept here: money in = money out + cash held, and cash held is never negative; no payout from an
 * unapproved, rejected or superseded measurement; no payout key triggered twice. Registered with Axon by the
 * application, so that this module needs no Spring.
 * <p>
 * Revision 8: a capital call keeps its due date (for the investor's own view); a snapshot of revision 7 is passed
 * over and the bond is rebuilt from its events, which carry it.
 */
@Revision("8")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Bond extends BondState {

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
                    + "' differs from the terms' '" + command.terms().bondId() + "'")
                            .worded("bond-id", command.bondId(), command.terms().bondId());
        }
        BondTermsRules.check(command.terms());
        if (!actor.equals(command.terms().parties().arranger())) {
            throw Refusals.forbidden("not-the-arranger", "Only the arranger named in the terms ('"
                    + command.terms().parties().arranger() + "') may structure this bond, not '" + actor + "'")
                            .worded("named", command.terms().parties().arranger(), actor);
        }
        record(new BondStructuredEvent(command.bondId(), command.terms()), metaData, command);
    }

    @CommandHandler
    void handle(AdmitPartyCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireNotEnded();
        Refusals.requireText("/partyId", command.partyId());
        if (command.role() == null) {
            throw Refusals.invalid("missing-field", "/role", "is required").with("/role");
        }
        Syntax.requirePartyId("/partyId", command.partyId());
        if (command.role() == PartyRole.REVIEWER) {
            // DOMAIN.md: the independent reviewer is named in the terms; the arranger alone never picks who judges
            // the payers' disputes, so a reviewer comes only with the terms or a variation every payer consents to
            throw Refusals.forbidden("reviewer-by-variation", "The arranger cannot admit a reviewer alone: the"
                    + " independent reviewer is named in the terms, so propose a variation naming '" + command.partyId()
                    + "', to which every outcome payer consents").with(command.partyId());
        }
        if (proposal != null) {
            throw Refusals.conflict("amendment-pending", "Proposal '" + proposal.proposalId() + "' would replace the"
                    + " parties; admit parties once it has taken effect or been declined")
                            .worded("parties", proposal.proposalId());
        }
        if (BondParties.has(terms, command.role(), command.partyId())) {
            throw Refusals.conflict("already-a-party", "'" + command.partyId() + "' is already a "
                    + command.role() + " of this bond").with(command.partyId(), command.role());
        }
        record(new PartyAdmittedEvent(bondId, command.role(), command.partyId()), metaData, command);
    }

    @CommandHandler
    void handle(ProposeAmendmentCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        requireNotEnded();
        Syntax.requireId("/proposalId", command.proposalId());
        Refusals.requireText("/reason", command.reason());
        Refusals.requireDate("/effectiveFrom", command.effectiveFrom());
        Amendments.requireNoneOpen(proposal, proposalIds, command.proposalId());
        Amendments.check(bondId, terms, command.terms());
        MeasurementRules.checkRepricing(command.terms(), measurements.submitted(), pricingFacts().cohortSizes());
        record(new AmendmentProposedEvent(bondId, command.proposalId(), terms, command.terms(), command.reason(),
                command.effectiveFrom(), Amendments.consentNeeded(terms, command.terms(), investors.holders())),
                metaData, command);
    }

    @CommandHandler
    void handle(ConsentToAmendmentCommand command, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        Amendments.Proposal open = Amendments.requireOpen(proposal, command.proposalId());
        if (status == BondStatus.CLOSED) {
            // a closed bond's account is final: new terms could only re-book what was settled and closed
            throw Refusals.conflict("bond-closed", "The bond is CLOSED; proposal '" + open.proposalId()
                    + "' can no longer take effect").worded("proposal", open.proposalId());
        }
        open.requireConsentFrom(actor);
        if (open.awaiting().equals(List.of(actor))) {
            // the last consent makes the terms take effect: results submitted since the proposal are priced by them too
            MeasurementRules.checkRepricing(open.terms(), measurements.submitted(), pricingFacts().cohortSizes());
        }
        record(new AmendmentConsentedEvent(bondId, open.proposalId(), actor), metaData, command);
        if (proposal.complete()) {
            Amendments.Proposal agreed = proposal;
            record(new TermsAmendedEvent(bondId, terms, agreed.terms(), agreed.reason(), agreed.effectiveFrom(),
                    agreed.consented()), metaData, command);
            // matured, the bond still owes what is approved: re-booked as an open bond is (nothing is approved before)
            if (status == BondStatus.OPEN || status == BondStatus.MATURED) {
                reconcile("re-booked under the terms amended from " + agreed.effectiveFrom(), metaData, command);
            }
        }
    }

    @CommandHandler
    void handle(DeclineAmendmentCommand command, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        Amendments.Proposal open = Amendments.requireOpen(proposal, command.proposalId());
        open.requireMayDecline(actor, terms.parties().arranger());
        Refusals.requireText("/reason", command.reason());
        record(new AmendmentDeclinedEvent(bondId, open.proposalId(), actor, command.reason()), metaData, command);
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
                    + unsettled.get(0)).with(unsettled.size(), unsettled.get(0));
        }
        if (investors.cash().signum() != 0) {
            throw Refusals.conflict("cash-held", "The bond still holds " + investors.cash().toPlainString() + " "
                    + terms.currency() + "; distribute it before closing")
                            .with(new org.sibledger.contracts.common.Money(investors.cash(), terms.currency()));
        }
        record(new BondClosedEvent(bondId), metaData, command);
    }

    // ---------------------------------------------------------------- investors: commitments, calls, cash

    @CommandHandler
    void handle(MakeCommitmentCommand command, MetaData metaData) {
        Authority.investor(terms, metaData, command.investorId());
        record(previewCommitment(command), metaData, command);
    }

    @CommandHandler
    void handle(IncreaseCommitmentCommand command, MetaData metaData) {
        Authority.investor(terms, metaData, command.investorId());
        record(previewIncrease(command), metaData, command);
    }

    @CommandHandler
    void handle(WithdrawCommitmentCommand command, MetaData metaData) {
        Authority.investor(terms, metaData, command.investorId());
        record(previewWithdrawal(command), metaData, command);
    }

    @CommandHandler
    void handle(CallCapitalCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        record(previewCapitalCall(command), metaData, command);
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
        record(previewDisbursement(command), metaData, command);
    }

    @CommandHandler
    void handle(DistributeCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        record(previewDistribution(command), metaData, command);
    }

    @CommandHandler
    void handle(CallGuaranteeCommand command, MetaData metaData) {
        Authority.arranger(terms, metaData);
        record(previewGuaranteeCall(command), metaData, command);
    }

    // ---------------------------------------------------------------- cohorts and participants

    @CommandHandler
    void handle(OpenCohortCommand command, MetaData metaData) {
        Authority.arrangerOrProvider(terms, metaData);
        requireNotEnded();
        Syntax.requireId("/cohortId", command.cohortId());
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
        measurements.submit(bondId, terms, termsVersions, evaluator, command, cohorts, Audit.today(metaData))
                .forEach(event -> record(event, metaData, command));
    }

    @CommandHandler
    void handle(DecideOnMeasurementCommand command, MetaData metaData) {
        String payer = Authority.payer(terms, metaData);
        Submitted measurement = measurements.requireDecidable(command.measurementId(), payer, command.decision(),
                terms.leadPayer());
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
                measurements.requireDisputable(measurement);
                if (payouts.anySettled(id)) {
                    throw Refusals.conflict("payout-settled", "A payout of measurement '" + id
                            + "' is settled already; it cannot be disputed").with(id);
                }
                record(new MeasurementDisputedEvent(bondId, id, payer, command.reason()), metaData, command);
            }
        }
    }

    @CommandHandler
    void handle(ResolveDisputeCommand command, MetaData metaData) {
        // DOMAIN.md: the bond's independent reviewer resolves a dispute; never who raised it, nor who submitted
        String reviewer = Authority.role(terms, metaData, PartyRole.REVIEWER);
        Submitted measurement = measurements.requireResolvable(reviewer, command);
        String id = measurement.measurementId();
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
        // once matured, no payout may come to set a credit off against: the bond repays it from the cash it holds
        payouts.settle(bondId, terms.currency(), payer, command.payoutId(), status == BondStatus.MATURED
                        ? owed -> investors.requireCash(owed, terms.currency()) : null)
                .forEach(event -> record(event, metaData, command));
    }
}
