package org.sibledger.contracts.payout;

/** What the outcome payers of a bond owe (only {@code payerId} when given), answered with an optional {@link LiabilitiesView}. */
public record FindLiabilitiesQuery(String bondId, String payerId) {
}
