package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

/** A party joined the bond in a role; the terms name it from now on. */
@Revision("1")
public record PartyAdmittedEvent(String bondId, PartyRole role, String partyId) {
}
