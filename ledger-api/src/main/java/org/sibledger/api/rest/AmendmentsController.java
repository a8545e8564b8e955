package org.sibledger.api.rest;

import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.AmendmentProposalView;
import org.sibledger.core.bond.Bond;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.Optional;

/**
 * The variation awaiting consent on a bond, for its parties: the terms in force and the proposed ones side by side,
 * who must consent, who did, who has not yet. Read from the bond itself (loaded from its events and snapshot in a
 * unit of work that is rolled back, as the payer's approval preview is), since only the open proposal is shown;
 * proposals that ended are in the bond's history.
 */
@RestController
@RequestMapping("/api/bonds/{bondId}/amendments")
public class AmendmentsController {

    private final org.axonframework.config.Configuration axon;
    private final Visibility visibility;

    public AmendmentsController(org.axonframework.config.Configuration axon, Visibility visibility) {
        this.axon = axon;
        this.visibility = visibility;
    }

    @GetMapping
    public Map<String, Object> open(@PathVariable String bondId, Authentication principal) {
        visibility.anyParty(bondId, principal);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            Optional<AmendmentProposalView>[] open = new Optional[1];
            axon.repository(Bond.class).load(bondId).execute(bond -> open[0] = bond.openProposal());
            return open[0].<Map<String, Object>>map(view -> JsonBodies.object("bondId", bondId, "open", view))
                    .orElseGet(() -> JsonBodies.object("bondId", bondId));
        } finally {
            unitOfWork.rollback();
        }
    }
}
