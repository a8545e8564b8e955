package org.sibledger.contracts.measurement;

import org.sibledger.contracts.common.Money;

import java.time.Instant;
import java.util.List;

/**
 * A measurement as payers and evaluators see it: what was measured, its evidence, where it stands
 * (SUBMITTED, APPROVED, REJECTED, DISPUTED, SUPERSEDED) and what its approval triggered after caps.
 */
public record MeasurementView(String bondId, String measurementId, String evaluatorId, String type, String metric,
                              String cohortId, String period, int units, List<String> evidenceRefs,
                              Measurement measurement, String supersedes, String supersededBy, String status,
                              String decidedBy, String reason, Instant submittedAt, Instant decidedAt,
                              Money payable, Money capped) {
    public MeasurementView {
        evidenceRefs = evidenceRefs == null ? List.of() : List.copyOf(evidenceRefs);
    }
}
