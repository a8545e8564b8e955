package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

/** A party consented to a proposed variation, by its own command. */
@Revision("1")
public record AmendmentConsentedEvent(String bondId, String proposalId, String partyId) {
}
