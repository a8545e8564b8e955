package org.sibledger.contracts.performance;

import java.time.LocalDate;

/**
 * A bond's performance at the end of {@code asOf} (UTC): the outcomes achieved by then, with the payouts they
 * triggered, and what was settled by then; everything when it is null.
 * Answered with an optional {@link PerformanceView}, empty for an unknown bond.
 */
public record FindPerformanceQuery(String bondId, LocalDate asOf) {
}
