package org.sibledger.api.rest;

import org.sibledger.api.security.Visibility;
import org.sibledger.api.command.OpenProposals;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * The variation awaiting consent on a bond, for its parties: the terms in force and the proposed ones side by side,
 * who must consent, who did, who has not yet ({@link OpenProposals}); proposals that ended are in the bond's history.
 */
@RestController
@RequestMapping("/api/bonds/{bondId}/amendments")
public class AmendmentsController {

    private final OpenProposals proposals;
    private final Visibility visibility;

    public AmendmentsController(OpenProposals proposals, Visibility visibility) {
        this.proposals = proposals;
        this.visibility = visibility;
    }

    @GetMapping
    public Map<String, Object> open(@PathVariable String bondId, Authentication principal) {
        visibility.anyParty(bondId, principal);
        return proposals.of(bondId).<Map<String, Object>>map(view -> JsonBodies.object("bondId", bondId, "open", view))
                .orElseGet(() -> JsonBodies.object("bondId", bondId));
    }
}
