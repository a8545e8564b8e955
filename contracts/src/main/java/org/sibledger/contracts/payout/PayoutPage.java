package org.sibledger.contracts.payout;

import org.sibledger.contracts.common.Money;

import java.util.List;

/**
 * A page of payouts and the bond's totals over every payer's lines (null while the bond has none): what is booked
 * and live (triggered, held or settled), what of it is settled, and what caps withheld.
 */
public record PayoutPage(List<PayoutView> items, int page, int size, long totalItems, Totals totals) {
    public PayoutPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public PayoutPage(List<PayoutView> items, int page, int size, long totalItems) {
        this(items, page, size, totalItems, null);
    }

    /** The bond's payouts over all payers: booked (not cancelled), settled, and withheld by caps on live lines. */
    public record Totals(Money booked, Money settled, Money capped, long lines) {
    }
}
