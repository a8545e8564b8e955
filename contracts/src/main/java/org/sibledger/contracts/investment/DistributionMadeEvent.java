package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Cash went to investors in waterfall order, and any excess where the terms say: money out. */
@Revision("1")
public record DistributionMadeEvent(String bondId, String distributionId, BigDecimal amount, LocalDate date, List<DistributionLine> lines, BigDecimal excess, String excessTo) {
    public DistributionMadeEvent {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
