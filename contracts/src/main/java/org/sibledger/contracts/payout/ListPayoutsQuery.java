package org.sibledger.contracts.payout;

/**
 * A page of one bond's payouts in the order they were triggered, answered with a {@link PayoutPage}: every payer's,
 * or only those of {@code payerId} when it is given. The page's totals are always the whole bond's.
 */
public record ListPayoutsQuery(String bondId, int page, int size, String payerId) {

    public ListPayoutsQuery(String bondId, int page, int size) {
        this(bondId, page, size, null);
    }
}
