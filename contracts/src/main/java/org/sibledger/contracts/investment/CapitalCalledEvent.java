package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Capital was called; each position's share of the call, to the minor unit. */
@Revision("1")
public record CapitalCalledEvent(String bondId, String callId, BigDecimal amount, LocalDate dueDate, List<CallAllocation> allocations) {
    public CapitalCalledEvent {
        allocations = allocations == null ? List.of() : List.copyOf(allocations);
    }
}
