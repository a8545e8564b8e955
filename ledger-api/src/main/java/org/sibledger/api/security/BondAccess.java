package org.sibledger.api.security;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.FindBondQuery;
import org.sibledger.contracts.common.CommandRefusedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.util.Optional;

/** Which bonds a principal may read: those whose terms name it in any role, or any bond for an admin. */
@Component
public class BondAccess {

    private final QueryGateway queries;

    public BondAccess(QueryGateway queries) {
        this.queries = queries;
    }

    /**
     * The bond, if the principal is a party of it. A bond the principal is no party of is answered as unknown:
     * its existence is not the principal's business.
     */
    public BondView requireParty(String bondId, Authentication principal) {
        Optional<BondView> bond = queries.query(new FindBondQuery(bondId),
                ResponseTypes.optionalInstanceOf(BondView.class)).join();
        return bond.filter(b -> Principals.isAdmin(principal) || Principals.isParty(b.terms(), principal.getName()))
                .orElseThrow(() -> new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND, "unknown-bond",
                        "No bond '" + bondId + "' is known to " + principal.getName()));
    }
}
