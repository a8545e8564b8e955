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

class WeightedTargetsMechanismTest {

    private static BondTerms weighted(String maximum, PaymentMechanism.Target... targets) {
        return TestBonds.terms("USD", null, onePayer(null), metrics("learning", "enrolment", "other"),
                new PaymentMechanism.WeightedTargets(dec(maximum), List.of(targets)));
    }

    private static PaymentMechanism.Target goal(String metric, String target, String weight) {
        return new PaymentMechanism.Target(metric, dec(target), dec(weight));
    }

    private static Ledger ledger() {
        return new Ledger(weighted("100000.00", goal("learning", "100", "0.8"), goal("enrolment", "0.8", "0.2")));
    }

    @Test
    void partialAchievementPaysItsWeightedShareOfTheMaximum() {
        assertThat(ledger().approve(target("t-1", "learning", "50"))).singleElement().satisfies(line -> {
            assertThat(line.key()).isEqualTo("target:t-1:learning:payer");
            assertThat(line.payable()).isEqualByComparingTo("40000.00");
            assertThat(line.capped()).isEqualByComparingTo("0");
            assertThat(line.rule()).isEqualTo("weighted targets: learning achieved 50 of target 100 (50.00%, counted as"
                    + " 50.00%) x weight 0.8 x maximum USD 100000.00");
        });
    }

    @Test
    void overAchievementCountsAsTheTargetAndNeverPaysMore() {
        Ledger ledger = ledger();
        ledger.approve(target("t-1", "learning", "150"));
        ledger.approve(target("t-2", "enrolment", "0.92"));
        assertThat(ledger.approve(target("t-3", "learning", "300"))).isEmpty();

        assertThat(ledger.paid()).isEqualByComparingTo("100000.00");
        assertThat(ledger.capped()).isEqualByComparingTo("0");
    }

    @Test
    void theLatestResultCountsAndAWorseOnePaysNothingMore() {
        Ledger ledger = ledger();
        ledger.approve(target("t-1", "learning", "50"));
        List<DuePayout> better = ledger.approve(target("t-2", "learning", "75"));
        List<DuePayout> worse = ledger.approve(target("t-3", "learning", "60"));
        List<DuePayout> recovered = ledger.approve(target("t-4", "learning", "70"));

        assertThat(better).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("20000.00");
            assertThat(line.rule()).endsWith("less USD 40000.00 already due for an earlier result");
        });
        assertThat(worse).isEmpty();
        assertThat(recovered).isEmpty();
        assertThat(ledger.paid()).isEqualByComparingTo("60000.00");
    }

    @Test
    void negativeAchievementAndUnknownMetricsPayNothing() {
        Ledger ledger = ledger();

        assertThat(ledger.approve(target("t-1", "learning", "-5"))).isEmpty();
        assertThat(ledger.approve(target("t-2", "other", "5"))).isEmpty();
    }

    @Test
    void thirdsAreBookedSoThatTheWholeComesToTheMaximumExactly() {
        Ledger ledger = new Ledger(weighted("100.00", goal("learning", "3", "1")));

        assertThat(ledger.approve(target("t-1", "learning", "1")).get(0).payable()).isEqualByComparingTo("33.33");
        assertThat(ledger.approve(target("t-2", "learning", "2")).get(0).payable()).isEqualByComparingTo("33.34");
        assertThat(ledger.approve(target("t-3", "learning", "3")).get(0).payable()).isEqualByComparingTo("33.33");
        assertThat(ledger.paid()).isEqualByComparingTo("100.00");
    }

    @Test
    void theMaximumCapsTheWholeEvenIfWeightsAddUpToMoreThanOne() {
        Ledger ledger = new Ledger(weighted("100.00", goal("learning", "1", "0.8"), goal("enrolment", "1", "0.8")));
        ledger.approve(target("t-1", "learning", "1"));

        assertThat(ledger.approve(target("t-2", "enrolment", "1"))).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("20.00");
            assertThat(line.capped()).isEqualByComparingTo("60.00");
            assertThat(line.rule()).endsWith("; capped by the maximum outcome payment USD 100.00");
        });
    }
}
