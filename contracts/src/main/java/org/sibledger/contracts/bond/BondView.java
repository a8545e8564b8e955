package org.sibledger.contracts.bond;

import java.time.Instant;

/** What the bond read model knows of a bond: its current terms and status. */
public record BondView(String bondId, String name, String currency, BondStatus status, BondTerms terms,
                       Instant structuredAt, String structuredBy, long lastSequence) {
}
