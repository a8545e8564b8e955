package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

/** A party declined a proposed variation, or the arranger withdrew it: the proposal ended without effect. */
@Revision("1")
public record AmendmentDeclinedEvent(String bondId, String proposalId, String partyId, String reason) {
}
