package org.sibledger.contracts.history;

/** A bond's events from sequence {@code from}, at most {@code size}, answered with a {@link HistoryPage}. */
public record ListHistoryQuery(String bondId, long from, int size) {
}
