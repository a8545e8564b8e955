package org.sibledger.contracts.bond;

import java.time.LocalDate;
import java.util.List;

/** A variation awaiting consent: the terms in force and the proposed ones side by side, who consented, who not yet. */
public record AmendmentProposalView(String bondId, String proposalId, BondTerms currentTerms, BondTerms proposedTerms,
                                    String reason, LocalDate effectiveFrom, List<String> consentNeededFrom,
                                    List<String> consentedBy, List<String> awaiting) {
}
