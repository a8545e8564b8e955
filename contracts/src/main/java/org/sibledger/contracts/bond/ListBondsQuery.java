package org.sibledger.contracts.bond;

/**
 * A page of bonds in the order they were structured, answered with a {@link BondPage}: those naming
 * {@code partyId} in any role, or every bond when it is null.
 */
public record ListBondsQuery(String partyId, int page, int size) {
}
