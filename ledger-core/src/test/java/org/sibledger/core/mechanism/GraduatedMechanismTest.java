package org.sibledger.core.mechanism;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.mechanism.TestBonds.dec;
import static org.sibledger.core.mechanism.TestBonds.metrics;
import static org.sibledger.core.mechanism.TestBonds.onePayer;
import static org.sibledger.core.mechanism.TestBonds.target;

/** Tiers are illustrative: the Tel Aviv loneliness bond's schedule is not among the published fixtures. */
class GraduatedMechanismTest {

    private static BondTerms graduated(String contractCap) {
        return TestBonds.terms("ILS", contractCap, onePayer(null), metrics("loneliness-reduction"),
                new PaymentMechanism.Graduated("loneliness-reduction", List.of(
                        new PaymentMechanism.GraduatedTier(dec("0.10"), dec("1000000.00")),
                        new PaymentMechanism.GraduatedTier(dec("0.20"), dec("2000000.00")),
                        new PaymentMechanism.GraduatedTier(dec("0.30"), dec("2300000.00")))));
    }

    @Test
    void belowTheLowestTierNothingIsPaid() {
        assertThat(new Ledger(graduated(null)).approve(target("g-1", "loneliness-reduction", "0.09"))).isEmpty();
    }

    @Test
    void theHighestTierReachedPaysAndALaterHigherTierPaysTheDifference() {
        Ledger ledger = new Ledger(graduated(null));
        DuePayout first = ledger.approve(target("g-1", "loneliness-reduction", "0.15")).get(0);
        DuePayout higher = ledger.approve(target("g-2", "loneliness-reduction", "0.20")).get(0);
        List<DuePayout> lower = ledger.approve(target("g-3", "loneliness-reduction", "0.12"));
        DuePayout highest = ledger.approve(target("g-4", "loneliness-reduction", "0.45")).get(0);

        assertThat(first.payable()).isEqualByComparingTo("1000000.00");
        assertThat(first.rule()).isEqualTo("graduated: loneliness-reduction 0.15 reaches the tier from 0.1, paying"
                + " ILS 1000000.00 in all");
        assertThat(higher.payable()).isEqualByComparingTo("1000000.00");
        assertThat(higher.rule()).endsWith("less ILS 1000000.00 already due for a lower tier");
        assertThat(lower).isEmpty();
        assertThat(highest.payable()).isEqualByComparingTo("300000.00");
        assertThat(ledger.paid()).isEqualByComparingTo("2300000.00");
    }

    @Test
    void theContractCapStillBinds() {
        DuePayout line = new Ledger(graduated("2000000.00")).approve(target("g-1", "loneliness-reduction", "0.35")).get(0);

        assertThat(line.payable()).isEqualByComparingTo("2000000.00");
        assertThat(line.capped()).isEqualByComparingTo("300000.00");
        assertThat(line.rule()).endsWith("; capped by contract cap ILS 2000000.00");
    }

    @Test
    void otherMetricsPayNothing() {
        assertThat(new Ledger(graduated(null)).approve(target("g-1", "other", "0.5"))).isEmpty();
    }
}
