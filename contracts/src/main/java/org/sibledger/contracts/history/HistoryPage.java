package org.sibledger.contracts.history;

import java.util.List;

/** Events of a bond in order; {@code next} is the sequence to ask for next, or null at the end. */
public record HistoryPage(String bondId, long from, List<HistoryEntry> items, Long next) {
    public HistoryPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
