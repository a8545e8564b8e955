package org.sibledger.contracts.bond;

/** One bond's terms and status, answered with an {@code Optional<BondView>}. */
public record FindBondQuery(String bondId) {
}
