package org.sibledger.api.rest;

import org.junit.jupiter.api.Test;
import org.sibledger.api.support.Terms;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.common.CommandRefusedException;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TermsDocumentReaderTest {

    private final TermsDocumentReader reader = new TermsDocumentReader();

    @Test
    void theApiMdExampleReadsExactly() {
        BondTerms terms = reader.read(Terms.rateCard("reboot-west"));
        assertThat(terms.contractCap()).isEqualTo(new BigDecimal("2250000.00"));
        assertThat(terms.paymentMechanism()).isInstanceOf(PaymentMechanism.RateCard.class);
        assertThat(((PaymentMechanism.RateCard) terms.paymentMechanism()).prices().get(0).price())
                .isEqualTo(new BigDecimal("2750.00"));
    }

    @Test
    void everyDemoBondIsAValidTermsDocument() throws Exception {
        Resource[] demos = new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.json");
        assertThat(demos).hasSizeGreaterThanOrEqualTo(5);
        for (Resource demo : demos) {
            BondTerms terms = reader.read(demo.getContentAsString(StandardCharsets.UTF_8));
            assertThat(org.sibledger.core.bond.BondTermsRules.violations(terms)).as(demo.getFilename()).isEmpty();
        }
    }

    @Test
    void anUnknownMechanismTypeAndUnknownFieldsAreRefused() {
        String unknownType = Terms.rateCard("b-1").replace("\"RATE_CARD\"", "\"LOTTERY\"");
        assertThatThrownBy(() -> reader.read(unknownType)).isInstanceOf(CommandRefusedException.class)
                .satisfies(e -> assertThat(((CommandRefusedException) e).violations())
                        .anyMatch(v -> v.pointer().equals("/paymentMechanism/type")));
        String extraField = Terms.rateCard("b-1").replace("\"currency\": \"GBP\",", "\"currency\": \"GBP\", \"colour\": 1,");
        assertThatThrownBy(() -> reader.read(extraField)).isInstanceOf(CommandRefusedException.class)
                .hasMessageContaining("schema");
    }

    @Test
    void anImpossibleDateIsRefusedAtItsPointer() {
        String badDate = Terms.rateCard("b-1").replace("2018-10-01", "2018-13-45");
        assertThatThrownBy(() -> reader.read(badDate)).isInstanceOf(CommandRefusedException.class)
                .satisfies(e -> assertThat(((CommandRefusedException) e).violations())
                        .anyMatch(v -> v.pointer().equals("/serviceStart")));
    }

    @Test
    void aNegativeOrNumericAmountIsRefused() {
        for (String amount : new String[]{"\"-2750.00\"", "2750.00", "\"1e5\"", "\"2,750.00\""}) {
            String terms = Terms.rateCard("b-1").replace("\"2750.00\"", amount);
            assertThatThrownBy(() -> reader.read(terms)).as(amount).isInstanceOf(CommandRefusedException.class)
                    .satisfies(e -> assertThat(((CommandRefusedException) e).violations())
                            .anyMatch(v -> v.pointer().equals("/paymentMechanism/prices/0/price")));
        }
    }
}
