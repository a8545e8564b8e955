package org.sibledger.core.bond;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateMember;
import org.sibledger.contracts.bond.AmendmentConsentedEvent;
import org.sibledger.contracts.bond.AmendmentDeclinedEvent;
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
import org.sibledger.core.mechanism.PricingFacts;
import org.sibledger.core.mechanism.TermsHistory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bond knows, and how each event it records changes that: the root's own state (terms, status, the variation
 * awaiting consent) sourced here, its members' ({@link BondChain}, {@link Investors}, {@link Cohorts},
 * {@link Measurements}, {@link Payouts}) in each member. {@link Bond} decides on commands over this state; the split
 * keeps deciding apart from applying.
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

    // ---------------------------------------------------------------- status and terms

    void requireStatus(BondStatus expected, String verb) {
        if (status != expected) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "Cannot " + verb + " a bond that is "
                    + status + " (it must be " + expected + ")");
        }
    }

    void requireNotEnded() {
        if (status == BondStatus.MATURED || status == BondStatus.CLOSED) {
            throw Refusals.conflict("bond-" + status.name().toLowerCase(), "The bond is " + status);
        }
    }

    void requireCommitmentsOpen() {
        boolean later = terms.investorTerms() != null && terms.investorTerms().allowCommitmentsAfterOpening();
        if (status != BondStatus.STRUCTURED && !(later && status == BondStatus.OPEN)) {
            throw Refusals.conflict("commitments-closed", "Commitments closed when the bond opened");
        }
    }

    void requireTranche(String tranche) {
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

    /** The ids of the bond's cohorts, in the order they were opened: what an evaluator's form offers. */
    public java.util.List<String> cohortIds() {
        return java.util.List.copyOf(cohorts.byId().keySet());
    }
}
