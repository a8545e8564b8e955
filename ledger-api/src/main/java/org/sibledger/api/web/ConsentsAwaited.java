package org.sibledger.api.web;

import org.sibledger.api.command.OpenProposals;
import org.sibledger.contracts.bond.BondView;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The bonds whose variation awaits the principal's consent, for its role page to point at (the answer is given on the
 * bond's page, {@link ConsentPages}). Used by the templates as {@code @consentsAwaited.of(#authentication)}.
 */
@Component("consentsAwaited")
public class ConsentsAwaited {

    private final BondPages bonds;
    private final OpenProposals proposals;

    public ConsentsAwaited(BondPages bonds, OpenProposals proposals) {
        this.bonds = bonds;
        this.proposals = proposals;
    }

    public List<BondView> of(Authentication principal) {
        if (principal == null) {
            return List.of();
        }
        return bonds.bondsOf(principal).stream()
                .filter(bond -> proposals.of(bond.bondId()).filter(p -> ConsentPages.awaits(p, principal.getName()))
                        .isPresent())
                .toList();
    }
}
