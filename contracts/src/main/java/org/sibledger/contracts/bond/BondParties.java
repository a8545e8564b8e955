package org.sibledger.contracts.bond;

import java.util.ArrayList;
import java.util.List;

/** Who the terms name in which role, and the terms once a party is admitted: shared by the command and read sides. */
public final class BondParties {

    private BondParties() {
    }

    public static boolean has(BondTerms terms, PartyRole role, String partyId) {
        BondTerms.Parties parties = terms.parties();
        return switch (role) {
            case INVESTOR -> parties.investors().contains(partyId);
            case EVALUATOR -> parties.evaluators().contains(partyId);
            case SERVICE_PROVIDER -> parties.serviceProviders().contains(partyId);
            case REVIEWER -> parties.reviewers().contains(partyId);
        };
    }

    public static BondTerms admit(BondTerms terms, PartyRole role, String partyId) {
        BondTerms.Parties p = terms.parties();
        BondTerms.Parties admitted = new BondTerms.Parties(p.arranger(),
                role == PartyRole.SERVICE_PROVIDER ? plus(p.serviceProviders(), partyId) : p.serviceProviders(),
                p.outcomePayers(),
                role == PartyRole.EVALUATOR ? plus(p.evaluators(), partyId) : p.evaluators(),
                role == PartyRole.INVESTOR ? plus(p.investors(), partyId) : p.investors(),
                role == PartyRole.REVIEWER ? plus(p.reviewers(), partyId) : p.reviewers());
        return new BondTerms(terms.bondId(), terms.name(), terms.currency(), terms.contractCap(), terms.serviceStart(),
                terms.serviceEnd(), admitted, terms.metrics(), terms.paymentMechanism(), terms.investorTerms(),
                terms.outcomesEnd());
    }

    private static List<String> plus(List<String> list, String value) {
        List<String> out = new ArrayList<>(list);
        out.add(value);
        return out;
    }
}
