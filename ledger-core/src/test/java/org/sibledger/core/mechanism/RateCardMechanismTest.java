package org.sibledger.core.mechanism;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.sibledger.core.mechanism.TestBonds.claim;
import static org.sibledger.core.mechanism.TestBonds.claims;
import static org.sibledger.core.mechanism.TestBonds.dec;
import static org.sibledger.core.mechanism.TestBonds.metric;
import static org.sibledger.core.mechanism.TestBonds.onePayer;
import static org.sibledger.core.mechanism.TestBonds.payer;
import static org.sibledger.core.mechanism.TestBonds.price;
import static org.sibledger.core.mechanism.TestBonds.target;

class RateCardMechanismTest {

    private static final List<BondTerms.Metric> METRICS = List.of(metric("earns-768", false),
            metric("feels-safe", true), metric("level2-qualification", false));

    private static BondTerms card(String contractCap, List<BondTerms.OutcomePayer> payers, String perParticipantCap,
                                  String earnsMetricCap) {
        return TestBonds.terms("GBP", contractCap, payers, METRICS, new PaymentMechanism.RateCard(List.of(
                price("earns-768", "2750.00", earnsMetricCap),
                price("feels-safe", "220.00", null),
                price("level2-qualification", "4730.00", null)), dec(perParticipantCap)));
    }

    private static BondTerms uncapped() {
        return card(null, onePayer(null), null, null);
    }

    @Test
    void anApprovedClaimPaysItsMetricsPrice() {
        List<DuePayout> due = new Ledger(uncapped()).approve(claims("m-1", claim("p-1", "earns-768")));

        assertThat(due).containsExactly(new DuePayout("claim:m-1:0:earns-768:p-1:payer", "m-1", "earns-768", null,
                "p-1", "payer", dec("2750.00"), dec("2750.00"), dec("0.00"), "rate card: earns-768 at GBP 2750.00 for participant p-1"));
    }

    @Test
    void aOneOffMetricPaysOncePerParticipantEvenWhenClaimedAgain() {
        Ledger ledger = new Ledger(uncapped());
        ledger.approve(claims("m-1", claim("p-1", "earns-768"), claim("p-1", "earns-768", TestBonds.DAY.plusDays(9))));
        List<DuePayout> again = ledger.approve(claims("m-2", claim("p-1", "earns-768", TestBonds.DAY.plusMonths(3))));

        assertThat(again).isEmpty();
        assertThat(ledger.lines()).hasSize(1);
        assertThat(ledger.paid()).isEqualByComparingTo("2750.00");
    }

    @Test
    void aRepeatableMetricPaysEachClaimOnItsOwnDateButNotTheSameClaimTwice() {
        Ledger ledger = new Ledger(uncapped());
        ledger.approve(claims("m-1", claim("p-1", "feels-safe"), claim("p-1", "feels-safe", TestBonds.DAY.plusMonths(1))));
        List<DuePayout> resubmitted = ledger.approve(claims("m-2", claim("p-1", "feels-safe")));

        assertThat(ledger.lines()).extracting(DuePayout::payable).containsExactly(dec("220.00"), dec("220.00"));
        assertThat(resubmitted).isEmpty();
    }

    @Test
    void theParticipantCapPaysTheCrossingClaimInPartAndRecordsTheRestAsCapped() {
        Ledger ledger = new Ledger(card(null, onePayer(null), "3000.00", null));
        ledger.approve(claims("m-1", claim("p-1", "earns-768")));
        DuePayout crossing = ledger.approve(claims("m-2", claim("p-1", "level2-qualification"))).get(0);
        DuePayout beyond = ledger.approve(claims("m-3", claim("p-1", "feels-safe"))).get(0);
        DuePayout other = ledger.approve(claims("m-4", claim("p-2", "level2-qualification"))).get(0);

        assertThat(crossing.payable()).isEqualByComparingTo("250.00");
        assertThat(crossing.capped()).isEqualByComparingTo("4480.00");
        assertThat(crossing.gross()).isEqualByComparingTo("4730.00");
        assertThat(crossing.rule()).isEqualTo("rate card: level2-qualification at GBP 4730.00 for participant p-1;"
                + " capped by participant cap GBP 3000.00");
        assertThat(beyond.payable()).isEqualByComparingTo("0");
        assertThat(beyond.capped()).isEqualByComparingTo("220.00");
        assertThat(other.payable()).isEqualByComparingTo("3000.00");
        assertThat(ledger.paidBy(DuePayout::participantRef)).containsEntry("p-1", dec("3000.00"));
    }

    @Test
    void theMetricCapPaysTheCrossingClaimInPart() {
        Ledger ledger = new Ledger(card(null, onePayer(null), null, "6500.00"));
        ledger.approve(claims("m-1", claim("p-1", "earns-768"), claim("p-2", "earns-768")));
        DuePayout crossing = ledger.approve(claims("m-2", claim("p-3", "earns-768"))).get(0);
        DuePayout beyond = ledger.approve(claims("m-3", claim("p-4", "earns-768"))).get(0);

        assertThat(crossing.payable()).isEqualByComparingTo("1000.00");
        assertThat(crossing.capped()).isEqualByComparingTo("1750.00");
        assertThat(crossing.rule()).isEqualTo("rate card: earns-768 at GBP 2750.00 for participant p-3;"
                + " capped by metric cap GBP 6500.00");
        assertThat(beyond.payable()).isEqualByComparingTo("0");
        assertThat(beyond.capped()).isEqualByComparingTo("2750.00");
        assertThat(ledger.paid()).isEqualByComparingTo("6500.00");
    }

    @Test
    void theParticipantCapComesBeforeTheMetricCapAndCountsOnlyWhatTheMetricCapLetThrough() {
        Ledger ledger = new Ledger(card(null, onePayer(null), "5000.00", "2750.00"));
        ledger.approve(claims("m-1", claim("p-1", "earns-768")));
        DuePayout withheld = ledger.approve(claims("m-2", claim("p-2", "earns-768"))).get(0);
        DuePayout next = ledger.approve(claims("m-3", claim("p-2", "level2-qualification"))).get(0);
        DuePayout fits = ledger.approve(claims("m-4", claim("p-2", "feels-safe"))).get(0);
        DuePayout crossing = ledger.approve(claims("m-5", claim("p-2", "feels-safe", TestBonds.DAY.plusDays(7)))).get(0);

        assertThat(withheld.payable()).isEqualByComparingTo("0");
        assertThat(withheld.capped()).isEqualByComparingTo("2750.00");
        assertThat(withheld.rule()).endsWith("capped by metric cap GBP 2750.00");
        assertThat(next.payable()).isEqualByComparingTo("4730.00");
        assertThat(fits.payable()).isEqualByComparingTo("220.00");
        assertThat(crossing.payable()).isEqualByComparingTo("50.00");
        assertThat(crossing.rule()).endsWith("capped by participant cap GBP 5000.00");
        assertThat(ledger.paidBy(DuePayout::participantRef)).containsEntry("p-2", dec("5000.00"));
    }

    @Test
    void aClaimCrossingBothCapsSaysSo() {
        Ledger ledger = new Ledger(card(null, onePayer(null), "3000.00", "3000.00"));
        ledger.approve(claims("m-1", claim("p-1", "feels-safe"), claim("p-2", "earns-768")));
        DuePayout crossing = ledger.approve(claims("m-2", claim("p-1", "earns-768"))).get(0);

        assertThat(crossing.payable()).isEqualByComparingTo("250.00");
        assertThat(crossing.rule()).isEqualTo("rate card: earns-768 at GBP 2750.00 for participant p-1;"
                + " capped by metric cap GBP 3000.00");
        Ledger tighter = new Ledger(card(null, onePayer(null), "2600.00", "2800.00"));
        tighter.approve(claims("m-1", claim("p-2", "feels-safe"), claim("p-1", "feels-safe"), claim("p-2", "earns-768")));
        DuePayout both = tighter.approve(claims("m-2", claim("p-1", "earns-768"))).get(0);
        assertThat(both.payable()).isEqualByComparingTo("420.00");
        assertThat(both.rule()).isEqualTo("rate card: earns-768 at GBP 2750.00 for participant p-1;"
                + " capped by participant cap GBP 2600.00; capped by metric cap GBP 2800.00");
    }

    @Test
    void eachPayerIsHeldToItsOwnCommitmentWhileATopUpPayerKeepsPayingItsShare() {
        BondTerms terms = card(null, List.of(payer("dfe", "0.8", "4000.00"), payer("lcf", "0.2", null)), null, null);
        Ledger ledger = new Ledger(terms);
        List<DuePayout> first = ledger.approve(claims("m-1", claim("p-1", "earns-768")));
        List<DuePayout> crossing = ledger.approve(claims("m-2", claim("p-2", "earns-768")));
        List<DuePayout> beyond = ledger.approve(claims("m-3", claim("p-3", "earns-768")));

        assertThat(first).extracting(DuePayout::payerId, DuePayout::payable)
                .containsExactly(tuple("dfe", dec("2200.00")), tuple("lcf", dec("550.00")));
        assertThat(crossing.get(0).payable()).isEqualByComparingTo("1800.00");
        assertThat(crossing.get(0).capped()).isEqualByComparingTo("400.00");
        assertThat(crossing.get(0).rule()).isEqualTo("rate card: earns-768 at GBP 2750.00 for participant p-2;"
                + " dfe pays share 0.8; capped by dfe's commitment GBP 4000.00");
        assertThat(crossing.get(1).payable()).isEqualByComparingTo("550.00");
        assertThat(beyond.get(0).payable()).isEqualByComparingTo("0");
        assertThat(beyond.get(0).capped()).isEqualByComparingTo("2200.00");
        assertThat(beyond.get(1).payable()).isEqualByComparingTo("550.00");
        assertThat(ledger.paidBy(DuePayout::payerId)).isEqualTo(Map.of("dfe", dec("4000.00"), "lcf", dec("1650.00")));
    }

    @Test
    void theContractCapPaysTheCrossingClaimInPartAndNothingAfterIt() {
        Ledger ledger = new Ledger(card("6000.00", onePayer(null), null, null));
        ledger.approve(claims("m-1", claim("p-1", "earns-768"), claim("p-2", "earns-768")));
        DuePayout crossing = ledger.approve(claims("m-2", claim("p-3", "earns-768"))).get(0);
        DuePayout beyond = ledger.approve(claims("m-3", claim("p-4", "feels-safe"))).get(0);

        assertThat(crossing.payable()).isEqualByComparingTo("500.00");
        assertThat(crossing.capped()).isEqualByComparingTo("2250.00");
        assertThat(crossing.rule()).isEqualTo("rate card: earns-768 at GBP 2750.00 for participant p-3;"
                + " capped by contract cap GBP 6000.00");
        assertThat(beyond.payable()).isEqualByComparingTo("0");
        assertThat(beyond.capped()).isEqualByComparingTo("220.00");
        assertThat(ledger.paid()).isEqualByComparingTo("6000.00");
    }

    @Test
    void theContractCapIsSharedByPayersInProportionToWhatTheyWouldHavePaid() {
        BondTerms terms = card("3000.00", List.of(payer("dfe", "0.8", null), payer("lcf", "0.2", null)), null, null);
        Ledger ledger = new Ledger(terms);
        ledger.approve(claims("m-1", claim("p-1", "earns-768"), claim("p-2", "earns-768")));

        assertThat(ledger.paidBy(DuePayout::payerId)).isEqualTo(Map.of("dfe", dec("2400.00"), "lcf", dec("600.00")));
        assertThat(ledger.lines().get(3).rule()).endsWith("lcf pays share 0.2; capped by contract cap GBP 3000.00");
    }

    @Test
    void aTopUpSplitNeverCreatesOrLosesAMinorUnit() {
        BondTerms terms = TestBonds.terms("GBP", null, List.of(payer("dfe", "0.8", null), payer("lcf", "0.2", null)),
                List.of(metric("odd", true)), new PaymentMechanism.RateCard(List.of(price("odd", "10.01", null)), null));
        Ledger ledger = new Ledger(terms);
        for (int month = 0; month < 7; month++) {
            List<DuePayout> due = ledger.approve(claims("m-" + month, claim("p-1", "odd", TestBonds.DAY.plusMonths(month))));
            assertThat(due.stream().map(DuePayout::payable).reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo("10.01");
        }
        assertThat(ledger.paidBy(DuePayout::payerId)).isEqualTo(Map.of("dfe", dec("56.06"), "lcf", dec("14.01")));
    }

    @Test
    void otherMeasurementKindsAndUnpricedMetricsPayNothing() {
        Ledger ledger = new Ledger(uncapped());

        assertThat(ledger.approve(target("m-1", "earns-768", "1"))).isEmpty();
        assertThat(ledger.approve(claims("m-2", claim("p-1", "not-on-the-card")))).isEmpty();
    }

    @Test
    void theSameMeasurementApprovedTwicePaysOnce() {
        Ledger ledger = new Ledger(uncapped());
        ledger.approve(claims("m-1", claim("p-1", "earns-768")));

        assertThat(ledger.approve(claims("m-1", claim("p-1", "earns-768")))).isEmpty();
    }

    /**
     * With a participant cap and a metric cap together, caps are first come, first served, so the total can depend
     * on the order of approvals: a claim already paid is never taken back to make room for a later one.
     */
    @Test
    void participantAndMetricCapsTogetherAreFirstComeFirstServed() {
        BondTerms terms = TestBonds.terms("GBP", null, onePayer(null), TestBonds.metrics("a", "b"),
                new PaymentMechanism.RateCard(List.of(price("a", "100.00", "100.00"), price("b", "100.00", "100.00")),
                        dec("100.00")));

        Ledger aFirst = new Ledger(terms).approveAll(List.of(claims("m-1", claim("p-1", "a")),
                claims("m-2", claim("p-1", "b")), claims("m-3", claim("p-2", "a"))));
        Ledger aLast = new Ledger(terms).approveAll(List.of(claims("m-3", claim("p-2", "a")),
                claims("m-2", claim("p-1", "b")), claims("m-1", claim("p-1", "a"))));

        assertThat(aFirst.paid()).isEqualByComparingTo("100.00");
        assertThat(aFirst.capped()).isEqualByComparingTo("200.00");
        assertThat(aLast.paid()).isEqualByComparingTo("200.00");
        assertThat(aLast.capped()).isEqualByComparingTo("100.00");
    }

    @Test
    void replayingTheSameApprovalsGivesTheSameLinesUnderTheSameKeys() {
        BondTerms terms = card("9000.00", List.of(payer("dfe", "0.8", "6000.00"), payer("lcf", "0.2", null)), "5000.00",
                "6000.00");
        List<ApprovedMeasurement> approvals = List.of(
                claims("m-1", claim("p-1", "earns-768"), claim("p-1", "level2-qualification")),
                claims("m-2", claim("p-2", "earns-768"), claim("p-3", "earns-768")),
                claims("m-3", claim("p-3", "feels-safe"), claim("p-4", "level2-qualification")));

        assertThat(new Ledger(terms).approveAll(approvals).lines())
                .isEqualTo(new Ledger(terms).approveAll(approvals).lines());
    }
}
