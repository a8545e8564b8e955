package org.sibledger.api.security;

import org.sibledger.contracts.bond.BondTerms;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** A principal is a party: its name is the party id the bond terms use. */
public final class Principals {

    private Principals() {
    }

    public static boolean isAdmin(Authentication principal) {
        return hasRole(principal, Role.ADMIN);
    }

    public static boolean hasRole(Authentication principal, Role role) {
        String authority = "ROLE_" + role.name();
        return principal.getAuthorities().stream().map(GrantedAuthority::getAuthority).anyMatch(authority::equals);
    }

    /** Whether the terms name this party in any role. */
    public static boolean isParty(BondTerms terms, String partyId) {
        BondTerms.Parties parties = terms.parties();
        return partyId.equals(parties.arranger())
                || parties.serviceProviders().contains(partyId)
                || parties.evaluators().contains(partyId)
                || parties.investors().contains(partyId)
                || parties.reviewers().contains(partyId)
                || parties.outcomePayers().stream().anyMatch(p -> p.id().equals(partyId));
    }
}
