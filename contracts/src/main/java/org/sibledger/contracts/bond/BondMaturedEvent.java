package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

/** The bond matured; no more measurements are accepted. */
@Revision("1")
public record BondMaturedEvent(String bondId) {
}
