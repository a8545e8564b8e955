package org.sibledger.core.bond;

import org.sibledger.contracts.bond.AmendmentProposalView;
import org.sibledger.contracts.bond.BondTerms;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Contract variations (DOMAIN.md): the arranger proposes, and the variation takes effect only when every outcome
 * payer and every affected investor has consented by its own command. An investor is affected when it holds a
 * position and the variation changes anything that prices outcomes or repays investors (currency, caps, dates, the
 * payers, metrics, the payment mechanism, the investor terms), or when the variation drops it from the parties.
 */
final class Amendments {

    private Amendments() {
    }

    /** The open proposal of a bond: the terms proposed and who has consented so far. */
    record Proposal(String proposalId, BondTerms terms, String reason, LocalDate effectiveFrom, List<String> needed,
                    List<String> consented) {
        Proposal {
            needed = List.copyOf(needed);
            consented = List.copyOf(consented);
        }

        Proposal consentedBy(String partyId) {
            List<String> more = new ArrayList<>(consented);
            more.add(partyId);
            return new Proposal(proposalId, terms, reason, effectiveFrom, needed, more);
        }

        boolean complete() {
            return consented.containsAll(needed);
        }

        List<String> awaiting() {
            return needed.stream().filter(party -> !consented.contains(party)).toList();
        }

        /** The proposal as the bond's parties see it, beside the terms it would replace. */
        AmendmentProposalView view(String bondId, BondTerms current) {
            return new AmendmentProposalView(bondId, proposalId, current, terms, reason, effectiveFrom, needed,
                    consented, awaiting());
        }

        /** The actor may consent: its consent is needed and not given yet. */
        void requireConsentFrom(String actor) {
            requireNeeded(actor);
            if (consented.contains(actor)) {
                throw Refusals.conflict("already-consented", "'" + actor + "' consented to proposal '" + proposalId
                        + "' already").with(actor, proposalId);
            }
        }

        /** The actor may decline: its consent is needed, or it is the arranger who proposed. */
        void requireMayDecline(String actor, String arranger) {
            if (!actor.equals(arranger)) {
                requireNeeded(actor);
            }
        }

        private void requireNeeded(String actor) {
            if (!needed.contains(actor)) {
                throw Refusals.forbidden("consent-not-needed", "'" + actor + "' is not a party whose consent proposal '"
                        + proposalId + "' needs (" + String.join(", ", needed) + ")")
                                .with(actor, proposalId, String.join(", ", needed));
            }
        }
    }

    /** The open proposal of this id: there is one, and it is this one. */
    static Proposal requireOpen(Proposal open, String proposalId) {
        if (open == null || !open.proposalId().equals(proposalId)) {
            throw Refusals.notFound("unknown-proposal", "No open proposal '" + proposalId + "' on this bond")
                    .with(proposalId);
        }
        return open;
    }

    /** A new proposal may be made: none is open, and its id is new. */
    static void requireNoneOpen(Proposal open, Collection<String> proposalIds, String proposalId) {
        if (open != null) {
            throw Refusals.conflict("amendment-pending", "Proposal '" + open.proposalId() + "' still awaits the"
                    + " consent of " + String.join(", ", open.awaiting()) + "; it must take effect or be declined first")
                            .with(open.proposalId(), String.join(", ", open.awaiting()));
        }
        if (proposalIds.contains(proposalId)) {
            throw Refusals.conflict("proposal-exists", "Proposal '" + proposalId + "' exists already").with(proposalId);
        }
    }

    /**
     * A position may not be taken while the open proposal would change it without asking its holder: an investor whose
     * consent the proposal would need, had it held a position when the proposal was made (the proposal changes what
     * investors are paid, or drops it), commits once the proposal has taken effect or been declined.
     */
    static void requireAskedIfAffected(Proposal open, BondTerms current, String investor) {
        if (open != null && !open.needed().contains(investor)
                && consentNeeded(current, open.terms(), List.of(investor)).contains(investor)) {
            throw Refusals.conflict("amendment-pending", "Proposal '" + open.proposalId() + "' would change what '"
                    + investor + "' is paid and was made before it held a position, so its consent is not asked;"
                    + " commit once the proposal has taken effect or been declined")
                            .worded("investor", open.proposalId(), investor);
        }
    }

    /** Refuses a variation that cannot be proposed at all, whoever consented. */
    static void check(String bondId, BondTerms current, BondTerms proposed) {
        if (proposed == null) {
            throw Refusals.invalid("invalid-terms", "/terms", "The amendment needs the new terms").worded("amendment");
        }
        if (!bondId.equals(proposed.bondId()) || !current.currency().equals(proposed.currency())) {
            throw Refusals.invalid("invalid-amendment", "An amendment cannot change the bond id or the currency")
                    .worded("id-currency");
        }
        BondTermsRules.check(proposed);
        if (!Objects.equals(proposed.parties().arranger(), current.parties().arranger())) {
            throw Refusals.invalid("invalid-amendment", "An amendment cannot change the arranger").worded("arranger");
        }
        if (!current.paymentMechanism().getClass().equals(proposed.paymentMechanism().getClass())) {
            throw Refusals.invalid("invalid-amendment", "/terms/paymentMechanism/type", "An amendment cannot change the"
                    + " kind of payment mechanism: outcomes already achieved are priced by the terms in force then")
                            .worded("mechanism");
        }
    }

    /** Who must consent: every outcome payer before or after, and every affected investor (see the class comment). */
    static List<String> consentNeeded(BondTerms current, BondTerms proposed, Collection<String> positionHolders) {
        Set<String> needed = new LinkedHashSet<>();
        current.parties().outcomePayers().forEach(payer -> needed.add(payer.id()));
        proposed.parties().outcomePayers().forEach(payer -> needed.add(payer.id()));
        boolean money = !Objects.equals(current.currency(), proposed.currency())
                || !Objects.equals(current.contractCap(), proposed.contractCap())
                || !Objects.equals(current.serviceStart(), proposed.serviceStart())
                || !Objects.equals(current.serviceEnd(), proposed.serviceEnd())
                || !Objects.equals(current.outcomesUntil(), proposed.outcomesUntil())
                || !Objects.equals(current.parties().outcomePayers(), proposed.parties().outcomePayers())
                || !Objects.equals(current.metrics(), proposed.metrics())
                || !Objects.equals(current.paymentMechanism(), proposed.paymentMechanism())
                || !Objects.equals(current.investorTerms(), proposed.investorTerms());
        for (String investor : positionHolders) {
            if (money || !proposed.parties().investors().contains(investor)) {
                needed.add(investor);
            }
        }
        for (String investor : current.parties().investors()) {
            if (!proposed.parties().investors().contains(investor)) {
                needed.add(investor);
            }
        }
        return List.copyOf(needed);
    }
}
