package org.sibledger.contracts.bond;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/** The bond is open: its commitments are final (unless the terms allow later ones). */
@Revision("1")
public record BondOpenedEvent(String bondId, BigDecimal totalCommitted) {
}
