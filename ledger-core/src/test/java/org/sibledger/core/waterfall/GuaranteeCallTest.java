package org.sibledger.core.waterfall;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms.ExcessTo;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.sibledger.core.waterfall.TestInvestors.committed;
import static org.sibledger.core.waterfall.TestInvestors.dec;
import static org.sibledger.core.waterfall.TestInvestors.day;
import static org.sibledger.core.waterfall.TestInvestors.funded;
import static org.sibledger.core.waterfall.TestInvestors.guarantee;
import static org.sibledger.core.waterfall.TestInvestors.terms;
import static org.sibledger.core.waterfall.TestInvestors.tranche;

/**
 * Guarantees at maturity, on Rikers Island's public figures (not in the fixtures): Goldman Sachs lent USD 9.6m and
 * Bloomberg Philanthropies guaranteed USD 7.2m of it, 75% of the principal.
 */
class GuaranteeCallTest {

    private static final InvestorTerms RIKERS = terms(ExcessTo.OUTCOME_PAYERS,
            tranche("loan", 1, "0.20"), guarantee("bloomberg-guarantee", 2, "0.75"));
    private static final InvestorPosition GOLDMAN = funded("goldman-sachs", "loan", "9600000.00", "2012-08-01");
    private static final InvestorPosition BLOOMBERG = committed("bloomberg-philanthropies", "bloomberg-guarantee", "7200000.00");

    @Test
    void withNoOutcomePaymentsTheGuaranteePaysExactlyItsShareOfThePrincipal() {
        GuaranteeCall call = Waterfall.guaranteeCall(RIKERS, List.of(GOLDMAN, BLOOMBERG), "USD");

        assertThat(call.payments()).extracting(GuaranteePayment::guarantorId, GuaranteePayment::investorId,
                GuaranteePayment::amount).containsExactly(tuple("bloomberg-philanthropies", "goldman-sachs", dec("7200000.00")));
        assertThat(call.shortfall()).isEqualTo(dec("9600000.00"));
        assertThat(call.uncovered()).isEqualTo(dec("2400000.00"));
        assertThat(call.payments().get(0).rule()).contains("covers 75% of funded principal", "covered up to USD 7200000.00");
    }

    @Test
    void aSmallerShortfallIsCoveredInFullAndNoMore() {
        InvestorPosition partlyRepaid = GOLDMAN.distributed(day("2015-08-01"), dec("3000000.00"), BigDecimal.ZERO);

        GuaranteeCall call = Waterfall.guaranteeCall(RIKERS, List.of(partlyRepaid, BLOOMBERG), "USD");

        assertThat(call.total()).isEqualTo(dec("6600000.00"));
        assertThat(call.uncovered()).isEqualByComparingTo("0");
    }

    @Test
    void nothingIsPaidWhenThePrincipalWasRepaid() {
        InvestorPosition repaid = GOLDMAN.distributed(day("2015-08-01"), dec("9600000.00"), dec("10.00"));

        GuaranteeCall call = Waterfall.guaranteeCall(RIKERS, List.of(repaid, BLOOMBERG), "USD");

        assertThat(call.payments()).isEmpty();
        assertThat(call.shortfall()).isEqualByComparingTo("0");
    }

    @Test
    void theCallIsBookedOnBothSidesAndTheGuarantorRecoversOnlyWhatItPaid() {
        List<InvestorPosition> positions = List.of(GOLDMAN, BLOOMBERG);
        GuaranteeCall call = Waterfall.guaranteeCall(RIKERS, positions, "USD");

        List<InvestorPosition> after = call.applyTo(positions, day("2015-08-01"));

        assertThat(after.get(0).distributedPrincipal()).isEqualTo(dec("7200000.00"));
        assertThat(after.get(0).outstandingPrincipal()).isEqualTo(dec("2400000.00"));
        assertThat(after.get(1).funded()).isEqualTo(dec("7200000.00"));
        assertThat(after.get(1).uncalledCommitment()).isEqualByComparingTo("0");
        // A late outcome payment repays the loan's principal and return first, then the guarantor's payment, no more.
        Distribution late = Waterfall.distribute(RIKERS, after, dec("20000000.00"), day("2016-08-01"), "USD");
        assertThat(late.allocations()).extracting(Allocation::investorId, Allocation::principal)
                .containsExactly(tuple("goldman-sachs", dec("2400000.00")), tuple("bloomberg-philanthropies", dec("7200000.00")));
        assertThat(late.allocations().get(1).investorReturn()).isEqualByComparingTo("0");
        assertThat(Waterfall.guaranteeCall(RIKERS, late.applyTo(after), "USD").payments()).isEmpty();
    }

    @Test
    void severalInvestorsAndGuarantorsShareProRataToTheMinorUnit() {
        InvestorTerms terms = terms(ExcessTo.OUTCOME_PAYERS, tranche("senior", 1, "0.10"), tranche("junior", 2, "0.15"),
                guarantee("first-loss-cover", 3, "0.5", "junior"));
        List<InvestorPosition> positions = List.of(
                funded("s", "senior", "1000.00", "2020-01-01"),
                funded("j1", "junior", "100.01", "2020-01-01"),
                funded("j2", "junior", "200.00", "2020-01-01"),
                committed("g1", "first-loss-cover", "100.00"),
                committed("g2", "first-loss-cover", "50.00"));

        GuaranteeCall call = Waterfall.guaranteeCall(terms, positions, "GBP");

        // Half of 300.01 is 150.005, booked half-even to 150.00, split pro rata to funded: j1 50.00, j2 100.00.
        assertThat(call.total()).isEqualTo(dec("150.00"));
        assertThat(call.payments()).extracting(GuaranteePayment::guarantorId, GuaranteePayment::investorId,
                GuaranteePayment::amount).containsExactly(
                tuple("g1", "j1", dec("50.00")), tuple("g1", "j2", dec("50.00")), tuple("g2", "j2", dec("50.00")));
        assertThat(call.shortfall()).isEqualTo(dec("300.01"));
        assertThat(call.uncovered()).isEqualTo(dec("150.01"));
    }

    @Test
    void aGuarantorNeverPaysBeyondItsCommitment() {
        InvestorPosition smallCommitment = committed("bloomberg-philanthropies", "bloomberg-guarantee", "1000000.00");

        GuaranteeCall call = Waterfall.guaranteeCall(RIKERS, List.of(GOLDMAN, smallCommitment), "USD");

        assertThat(call.total()).isEqualTo(dec("1000000.00"));
        assertThat(call.uncovered()).isEqualTo(dec("8600000.00"));
    }
}
