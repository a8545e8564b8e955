package org.sibledger.core.bond;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Terms for core tests: a small rate-card bond arranged by "arranger". */
public final class TestTerms {

    private TestTerms() {
    }

    public static BondTerms rateCard(String bondId) {
        return new BondTerms(bondId, "Care leavers", "GBP", new BigDecimal("2250000.00"),
                LocalDate.parse("2018-10-01"), LocalDate.parse("2022-03-31"),
                new BondTerms.Parties("arranger", List.of("provider"),
                        List.of(new BondTerms.OutcomePayer("payer", BigDecimal.ONE, new BigDecimal("2250000.00"))),
                        List.of("evaluator"), List.of("investor"), List.of("reviewer")),
                List.of(new BondTerms.Metric("earns-768", "Earns GBP 768", false)),
                new PaymentMechanism.RateCard(List.of(new PaymentMechanism.Price("earns-768",
                        new BigDecimal("2750.00"), null)), null),
                new BondTerms.InvestorTerms(List.of(new BondTerms.Tranche("senior", 1, new BigDecimal("0.15")))));
    }
}
