package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BondTermsRulesTest {

    private final BondTerms good = TestTerms.rateCard("reboot-west");

    @Test
    void consistentTermsHaveNoViolations() {
        assertThat(BondTermsRules.violations(good)).isEmpty();
    }

    @Test
    void yenHasNoMinorUnitSoAPriceInSenIsRefused() {
        BondTerms yen = withMechanism("JPY", new PaymentMechanism.RateCard(List.of(
                new PaymentMechanism.Price("earns-768", new BigDecimal("100.5"), null)), null), null);
        assertThat(pointers(yen)).containsExactly("/paymentMechanism/prices/0/price");
    }

    @Test
    void payerSharesMustAddUpToOne() {
        BondTerms.Parties parties = new BondTerms.Parties("arranger", List.of(), List.of(
                new BondTerms.OutcomePayer("dfe", new BigDecimal("0.8"), null),
                new BondTerms.OutcomePayer("lcf", new BigDecimal("0.1"), null)), List.of("evaluator"), List.of());
        BondTerms terms = new BondTerms("b-1", "n", "GBP", null, good.serviceStart(), good.serviceEnd(), parties,
                good.metrics(), good.paymentMechanism(), null);
        assertThat(BondTermsRules.violations(terms)).extracting(FieldViolation::message)
                .containsExactly("payer shares must add up to 1, not 0.9");
    }

    @Test
    void targetWeightsMustAddUpToOneAndNameDeclaredMetrics() {
        BondTerms weighted = withMechanism("USD", new PaymentMechanism.WeightedTargets(new BigDecimal("422000.00"),
                List.of(new PaymentMechanism.Target("earns-768", new BigDecimal("5592"), new BigDecimal("0.8")),
                        new PaymentMechanism.Target("enrolment", new BigDecimal("0.79"), new BigDecimal("0.3")))), null);
        assertThat(pointers(weighted)).containsExactlyInAnyOrder("/paymentMechanism/targets/1/metric",
                "/paymentMechanism/targets");
    }

    @Test
    void graduatedTiersMustRise() {
        BondTerms graduated = withMechanism("ILS", new PaymentMechanism.Graduated("earns-768", List.of(
                new PaymentMechanism.GraduatedTier(new BigDecimal("0.2"), new BigDecimal("100")),
                new PaymentMechanism.GraduatedTier(new BigDecimal("0.1"), new BigDecimal("200")))), null);
        assertThat(pointers(graduated)).containsExactly("/paymentMechanism/tiers/1/atLeast");
    }

    @Test
    void savingsShareIsEitherUtahOrAlumaStyle() {
        BondTerms both = withMechanism("ILS", new PaymentMechanism.SavingsShare(null, new BigDecimal("0.95"),
                new BigDecimal("0.4"), new BigDecimal("0.05"),
                List.of(new PaymentMechanism.SavingsTier(new BigDecimal("8000000"), BigDecimal.ONE)), null), null);
        assertThat(pointers(both)).containsExactly("/paymentMechanism");
    }

    @Test
    void theServiceMustEndAfterItStartsAndMetricsMustBeUnique() {
        BondTerms terms = new BondTerms("b-1", "n", "GBP", null, LocalDate.parse("2022-01-01"),
                LocalDate.parse("2022-01-01"), good.parties(),
                List.of(good.metrics().get(0), good.metrics().get(0)), good.paymentMechanism(), null);
        assertThat(pointers(terms)).containsExactly("/serviceEnd", "/metrics/1/id");
    }

    private BondTerms withMechanism(String currency, PaymentMechanism mechanism, BigDecimal cap) {
        return new BondTerms("b-1", "n", currency, cap, good.serviceStart(), good.serviceEnd(),
                new BondTerms.Parties("arranger", List.of(), List.of(new BondTerms.OutcomePayer("p", BigDecimal.ONE, null)),
                        List.of("evaluator"), List.of()),
                good.metrics(), mechanism, null);
    }

    private static List<String> pointers(BondTerms terms) {
        return BondTermsRules.violations(terms).stream().map(FieldViolation::pointer).toList();
    }
}
