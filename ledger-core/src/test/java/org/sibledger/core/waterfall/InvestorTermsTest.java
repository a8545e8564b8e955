package org.sibledger.core.waterfall;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms.ExcessTo;
import org.sibledger.contracts.bond.BondTerms.Tranche;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.contracts.common.ContractsJson;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.waterfall.TestInvestors.dec;
import static org.sibledger.core.waterfall.TestInvestors.guarantee;
import static org.sibledger.core.waterfall.TestInvestors.terms;
import static org.sibledger.core.waterfall.TestInvestors.tranche;

/** The investor terms' optional fields: old documents keep their meaning, new ones round-trip, rules catch nonsense. */
class InvestorTermsTest {

    private final ObjectMapper json = ContractsJson.newMapper();

    @Test
    void aDocumentWithoutTheNewFieldsReadsWithDefaults() throws Exception {
        InvestorTerms terms = json.readValue("""
                {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"},
                              {"id": "junior", "rank": 2}]}""", InvestorTerms.class);

        assertThat(terms.excessTo()).isEqualTo(ExcessTo.OUTCOME_PAYERS);
        assertThat(terms.allowCommitmentsAfterOpening()).isFalse();
        assertThat(terms.tranches()).extracting(Tranche::kind).containsExactly(Tranche.Kind.SENIOR, Tranche.Kind.SUBORDINATE);
        assertThat(terms.tranches().get(0)).isEqualTo(new Tranche("senior", 1, dec("0.15")));
        assertThat(terms.tranches().get(1).guaranteedTranches()).isEmpty();
    }

    @Test
    void theNewFieldsRoundTrip() throws Exception {
        InvestorTerms terms = new InvestorTerms(List.of(tranche("loan", 1, "0.2"),
                new Tranche("equity", 2, null, Tranche.Kind.FIRST_LOSS, null, null),
                guarantee("cover", 3, "0.75", "loan")), ExcessTo.INVESTORS_PRO_RATA, true);

        String written = json.writeValueAsString(terms);

        assertThat(json.readValue(written, InvestorTerms.class)).isEqualTo(terms);
        assertThat(written).contains("\"guaranteedShareOfPrincipal\":\"0.75\"", "\"kind\":\"GUARANTEE\"",
                "\"excessTo\":\"INVESTORS_PRO_RATA\"", "\"allowCommitmentsAfterOpening\":true");
    }

    @Test
    void consistentTermsHaveNoViolations() {
        assertThat(TrancheRules.violations(terms(ExcessTo.OUTCOME_PAYERS, tranche("senior", 1, "0.05"),
                tranche("junior", 2, "0.1"), guarantee("cover", 3, "0.5", "junior")))).isEmpty();
    }

    @Test
    void inconsistentTermsAreReportedAtTheirPointers() {
        InvestorTerms terms = terms(ExcessTo.OUTCOME_PAYERS,
                new Tranche("senior", 2, dec("-0.01"), Tranche.Kind.SENIOR, null, null),
                new Tranche("junior", 1, null, Tranche.Kind.SUBORDINATE, dec("0.5"), null),
                tranche("senior", 3, null),
                guarantee("cover", 4, "1.5", "nowhere", "cover2"),
                guarantee("cover2", 5, null));

        assertThat(TrancheRules.violations(terms)).extracting(FieldViolation::pointer).containsExactlyInAnyOrder(
                "/investorTerms/tranches/0/returnCapIrr",
                "/investorTerms/tranches/1/rank",
                "/investorTerms/tranches/1/guaranteedShareOfPrincipal",
                "/investorTerms/tranches/2/id",
                "/investorTerms/tranches/3/guaranteedShareOfPrincipal",
                "/investorTerms/tranches/3/guaranteedTranches/0",
                "/investorTerms/tranches/3/guaranteedTranches/1",
                "/investorTerms/tranches/4/guaranteedShareOfPrincipal");
    }
}
