package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Guarantors paid investors part of their unrepaid principal: money in from the guarantors and out to the investors
 * in the same breath. {@code shortfall} is the guaranteed principal unrepaid before the call; {@code uncovered} what no
 * guarantee covered.
 */
@Revision("1")
public record GuaranteeCalledEvent(String bondId, LocalDate date, List<GuaranteePaymentLine> payments,
                                   BigDecimal shortfall, BigDecimal uncovered) {
    public GuaranteeCalledEvent {
        payments = payments == null ? List.of() : List.copyOf(payments);
    }
}
