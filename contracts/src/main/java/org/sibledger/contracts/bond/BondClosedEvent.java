package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

/** The bond is closed; nothing more happens to it. */
@Revision("1")
public record BondClosedEvent(String bondId) {
}
