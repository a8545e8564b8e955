package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

/** A bond came into being with these terms; the first event of every bond's stream. */
@Revision("1")
public record BondStructuredEvent(String bondId, BondTerms terms) {
}
