package org.sibledger.contracts.payout;

/** A page of one bond's payouts in the order they were triggered, answered with a {@link PayoutPage}. */
public record ListPayoutsQuery(String bondId, int page, int size) {
}
