package org.sibledger.contracts.investment;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * What the portfolio read model holds for one investor: per bond and tranche the sums and the dated cash flows
 * (negative when the investor pays, positive when it receives), from which the money multiple and IRR are computed.
 */
public record PortfolioRecord(String investorId, List<Position> positions) {

    public PortfolioRecord {
        positions = List.copyOf(positions);
    }

    public record Position(String bondId, String bondName, String currency, String tranche, BigDecimal committed,
                           BigDecimal called, BigDecimal funded, BigDecimal distributedPrincipal,
                           BigDecimal distributedReturn, BigDecimal guaranteeReceived, BigDecimal guaranteePaid,
                           List<CashFlow> cashFlows) {
        public Position {
            cashFlows = List.copyOf(cashFlows);
        }
    }

    public record CashFlow(LocalDate date, BigDecimal amount) {
    }
}
