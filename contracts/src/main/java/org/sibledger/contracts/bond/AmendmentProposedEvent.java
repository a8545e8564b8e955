package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

import java.time.LocalDate;
import java.util.List;

/**
 * A variation was proposed: the terms in force and the proposed ones side by side, and the parties whose consent it
 * needs (every outcome payer, and every investor whose position or return it affects).
 */
@Revision("1")
public record AmendmentProposedEvent(String bondId, String proposalId, BondTerms currentTerms, BondTerms proposedTerms,
                                     String reason, LocalDate effectiveFrom, List<String> consentNeededFrom) {
    public AmendmentProposedEvent {
        consentNeededFrom = consentNeededFrom == null ? List.of() : List.copyOf(consentNeededFrom);
    }
}
