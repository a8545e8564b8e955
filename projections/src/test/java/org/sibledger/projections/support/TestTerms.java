package org.sibledger.projections.support;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Bond terms for the read models' tests: a rate card in a currency, with named parties. */
public final class TestTerms {

    /** The largest amount a command may carry in a currency of two decimals (core/bond/Bounds: under 10^15). */
    public static final BigDecimal LARGEST_GBP = new BigDecimal("999999999999999.99");
    /** The largest amount in yen, which has no minor unit. */
    public static final BigDecimal LARGEST_JPY = new BigDecimal("999999999999999");
    /** The largest amount in Kuwaiti dinars, which have three decimals. */
    public static final BigDecimal LARGEST_KWD = new BigDecimal("999999999999999.999");

    private TestTerms() {
    }

    /** Two payers sharing 60/40 with caps, one metric priced at {@code price}. */
    public static BondTerms rateCard(String bondId, String name, String currency, BigDecimal contractCap,
                                     BigDecimal price) {
        return rateCard(bondId, name, currency, contractCap, price, List.of(
                new BondTerms.OutcomePayer("payer-a", new BigDecimal("0.6"), contractCap),
                new BondTerms.OutcomePayer("payer-b", new BigDecimal("0.4"), null)));
    }

    public static BondTerms rateCard(String bondId, String name, String currency, BigDecimal contractCap,
                                     BigDecimal price, List<BondTerms.OutcomePayer> payers) {
        return new BondTerms(bondId, name, currency, contractCap, LocalDate.of(2024, 1, 1), LocalDate.of(2027, 12, 31),
                new BondTerms.Parties("arranger", List.of("provider"), payers, List.of("evaluator"),
                        List.of("investor"), List.of("reviewer")),
                List.of(new BondTerms.Metric("job", "In work for 13 weeks", false)),
                new PaymentMechanism.RateCard(List.of(new PaymentMechanism.Price("job", price, null)), null),
                new BondTerms.InvestorTerms(List.of(new BondTerms.Tranche("senior", 1, new BigDecimal("0.15")))));
    }

    /** The same terms paying by another mechanism, for the metrics it names. */
    public static BondTerms paying(BondTerms terms, PaymentMechanism mechanism) {
        return new BondTerms(terms.bondId(), terms.name(), terms.currency(), terms.contractCap(), terms.serviceStart(),
                terms.serviceEnd(), terms.parties(), mechanism.metricIds().stream()
                .map(id -> new BondTerms.Metric(id, id, true)).toList(), mechanism, terms.investorTerms());
    }

    public static BondTerms rateCard(String bondId, String currency) {
        return rateCard(bondId, "Bond " + bondId, currency, new BigDecimal("1000000"), new BigDecimal("1000"));
    }
}
