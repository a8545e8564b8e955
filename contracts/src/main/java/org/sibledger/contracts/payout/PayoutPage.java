package org.sibledger.contracts.payout;

import java.util.List;

public record PayoutPage(List<PayoutView> items, int page, int size, long totalItems) {
    public PayoutPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
