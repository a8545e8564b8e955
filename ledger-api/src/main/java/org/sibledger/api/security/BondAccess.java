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
        return find(bondId).filter(b -> mayKnow(b, principal)).orElseThrow(() -> unknownBond(bondId));
    }

    /**
     * Before a command on a bond: a principal the bond's terms do not name (nor an admin) is answered exactly as for
     * a bond that does not exist, before the bond could answer anything that shows it exists. A bond the read models
     * do not know yet goes on to the command side, which answers unknown-bond if it does not exist either.
     */
    public void hideFromNonParty(String bondId, Authentication principal) {
        Optional<BondView> bond = find(bondId);
        if (bond.isPresent() && !mayKnow(bond.get(), principal)) {
            throw unknownBond(bondId);
        }
    }

    /**
     * A refusal by the bond itself: a refusal of its role (403) stands for a party of the bond; for anyone else it
     * becomes the unknown-bond answer, so that no refusal tells a non-party that the bond exists.
     */
    public CommandRefusedException hideRefusal(String bondId, Authentication principal, CommandRefusedException refusal) {
        if (refusal.kind() != CommandRefusedException.Kind.FORBIDDEN) {
            return refusal;
        }
        return find(bondId).filter(b -> mayKnow(b, principal)).isPresent() ? refusal : unknownBond(bondId);
    }

    /**
     * The one answer for a bond that does not exist and for a bond the principal is no party of: same status, type,
     * code and detail, whoever asks.
     */
    public static CommandRefusedException unknownBond(String bondId) {
        return new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND, "unknown-bond",
                "No bond '" + bondId + "' is known").with(bondId);
    }

    private Optional<BondView> find(String bondId) {
        return queries.query(new FindBondQuery(bondId), ResponseTypes.optionalInstanceOf(BondView.class)).join();
    }

    private static boolean mayKnow(BondView bond, Authentication principal) {
        return Principals.isAdmin(principal) || Principals.isParty(bond.terms(), principal.getName());
    }
}
