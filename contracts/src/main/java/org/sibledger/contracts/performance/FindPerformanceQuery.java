package org.sibledger.contracts.performance;

import java.time.LocalDate;

/**
 * A bond's performance as the ledger knew it at the end of {@code asOf} (UTC), or now when it is null.
 * Answered with an optional {@link PerformanceView}, empty for an unknown bond.
 */
public record FindPerformanceQuery(String bondId, LocalDate asOf) {
}
