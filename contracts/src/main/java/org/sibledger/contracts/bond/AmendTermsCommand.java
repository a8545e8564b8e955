package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.LocalDate;
import java.util.List;

/** A contract variation: new terms from a date, with the reason and the outcome payers who consented. */
public record AmendTermsCommand(@TargetAggregateIdentifier String bondId, BondTerms terms, String reason, LocalDate effectiveFrom, List<String> consentedBy) {
    public AmendTermsCommand {
        consentedBy = consentedBy == null ? List.of() : List.copyOf(consentedBy);
    }
}
