package org.sibledger.core.bond;

import org.axonframework.messaging.MetaData;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PartyRole;

/**
 * Who may act on a bond: the acting principal of a command (its metadata) against the parties its terms name. Each
 * check returns the actor, or refuses as FORBIDDEN with a code that names the role wanted.
 */
final class Authority {

    private Authority() {
    }

    static String arranger(BondTerms terms, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        if (!actor.equals(terms.parties().arranger())) {
            throw Refusals.forbidden("not-the-arranger", "Only the arranger of this bond ('"
                    + terms.parties().arranger() + "') may do this, not '" + actor + "'")
                            .worded("named", terms.parties().arranger(), actor);
        }
        return actor;
    }

    /** The investor acting, who may act only for itself. */
    static String investor(BondTerms terms, MetaData metaData, String investorId) {
        String actor = role(terms, metaData, PartyRole.INVESTOR);
        if (investorId != null && !investorId.equals(actor)) {
            throw Refusals.forbidden("not-that-investor", "'" + actor + "' cannot act for investor '" + investorId + "'")
                    .with(actor, investorId);
        }
        return actor;
    }

    static String role(BondTerms terms, MetaData metaData, PartyRole role) {
        String actor = Audit.requireActor(metaData);
        if (!BondParties.has(terms, role, actor)) {
            String name = role.name().toLowerCase().replace('_', '-');
            throw Refusals.forbidden(("aeiou".indexOf(name.charAt(0)) >= 0 ? "not-an-" : "not-a-") + name, "'" + actor
                    + "' is not named as " + role + " in this bond's terms").worded("named", actor);
        }
        return actor;
    }

    static String payer(BondTerms terms, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        if (terms.parties().outcomePayers().stream().noneMatch(p -> p.id().equals(actor))) {
            throw Refusals.forbidden("not-an-outcome-payer", "'" + actor
                    + "' is not named as an outcome payer in this bond's terms").with(actor);
        }
        return actor;
    }

    static String arrangerOrProvider(BondTerms terms, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        if (!actor.equals(terms.parties().arranger()) && !terms.parties().serviceProviders().contains(actor)) {
            throw Refusals.forbidden("not-arranger-or-provider", "Only the arranger or a service provider of this bond may open a cohort");
        }
        return actor;
    }
}
