package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

import java.time.LocalDate;
import java.util.List;

/**
 * The terms changed from a date, once every party whose consent the variation needed consented by its own command
 * ({@code consentedBy}); the old terms stay in the history and price what happened under them.
 */
@Revision("1")
public record TermsAmendedEvent(String bondId, BondTerms previousTerms, BondTerms terms, String reason, LocalDate effectiveFrom, List<String> consentedBy) {
    public TermsAmendedEvent {
        consentedBy = consentedBy == null ? List.of() : List.copyOf(consentedBy);
    }
}
