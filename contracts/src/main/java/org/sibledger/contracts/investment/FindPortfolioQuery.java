package org.sibledger.contracts.investment;

/** An investor's positions in every bond, answered with a {@link PortfolioRecord}. */
public record FindPortfolioQuery(String investorId) {
}
