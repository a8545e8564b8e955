package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.SettlePayoutCommand;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.bond.BondBook.metric;
import static org.sibledger.core.bond.BondBook.money;

/**
 * DOMAIN.md: after any change to what is approved, what is due = the entitlement of everything approved now, through
 * the caps, minus what is booked and live. Each case is one an outside check found paid short: a result cancelled on
 * dispute took with it what later results had been netted against it.
 */
class NothingApprovedIsLostTest {

    private static final LocalDate ON = LocalDate.parse("2019-01-02");

    @Test
    void graduatedTiersPayTheHighestTierStillApproved() {
        BondBook book = BondBook.open("graduated", new PaymentMechanism.Graduated("rate", List.of(
                new PaymentMechanism.GraduatedTier(money("0.1"), money("1000.00")),
                new PaymentMechanism.GraduatedTier(money("0.4"), money("1500.00")))), List.of(metric("rate", false)));

        book.submitAndApprove("m-1", new Measurement.TargetResult("rate", money("0.1")));
        book.submitAndApprove("m-2", new Measurement.TargetResult("rate", money("0.4")));
        book.cancel("m-1");
        assertThat(book.booked()).isEqualByComparingTo("1500.00");
        book.submitAndApprove("m-3", new Measurement.TargetResult("rate", money("0.45")));

        assertThat(book.booked()).isEqualByComparingTo("1500.00");
        assertThat(book.liveOf("m-1")).isEmpty();
        assertThat(book.liveOf("m-2")).extracting(PayoutTriggeredEvent::payable).map(BigDecimal::toPlainString)
                .containsExactly("500.00", "1000.00");
    }

    @Test
    void thresholdPaysTheBetterCohortResultInFullOnceTheEarlierIsCancelled() {
        BondBook book = BondBook.open("threshold", new PaymentMechanism.ThresholdVsComparison("reconvictions", true,
                money("0.10"), money("0.075"), money("100.00"), money("100"), null), List.of(metric("reconvictions", false)));

        book.submitAndApprove("y1", new Measurement.CohortResult("c1", "reconvictions", "y1", money("80"), money("100")));
        book.submitAndApprove("y2", new Measurement.CohortResult("c1", "reconvictions", "y2", money("70"), money("100")));
        assertThat(book.booked()).isEqualByComparingTo("3000.00");
        book.cancel("y1");

        assertThat(book.booked()).isEqualByComparingTo("3000.00");
        assertThat(book.liveOf("y1")).isEmpty();
    }

    @Test
    void weightedTargetsPayTheResultThatStands() {
        BondBook book = BondBook.open("targets", new PaymentMechanism.WeightedTargets(money("1000.00"), List.of(
                new PaymentMechanism.Target("learning", money("10"), BigDecimal.ONE))), List.of(metric("learning", false)));

        book.submitAndApprove("m-1", new Measurement.TargetResult("learning", money("4")));
        book.submitAndApprove("m-2", new Measurement.TargetResult("learning", money("6")));
        book.cancel("m-1");

        assertThat(book.booked()).isEqualByComparingTo("600.00");
    }

    @Test
    void savingsTiersPayTheRestatedFigureOnceTheFirstIsCancelled() {
        BondBook book = BondBook.open("savings", new PaymentMechanism.SavingsShare("savings", null, null, null,
                List.of(new PaymentMechanism.SavingsTier(null, money("0.5"))), null), List.of(metric("savings", false)));

        book.submitAndApprove("m-1", new Measurement.Savings(money("1000.00"), "2024"));
        book.submitAndApprove("m-2", new Measurement.Savings(money("1500.00"), "2024"));
        book.cancel("m-1");

        assertThat(book.booked()).isEqualByComparingTo("750.00");
    }

    @Test
    void aOneOffClaimPaysOnceForTheClaimThatStands() {
        BondBook book = rateCard("one-off", money("300.00"), false, null);

        book.submitAndApprove("m-1", claim("p-1", "2019-01-01"));
        book.submitAndApprove("m-2", claim("p-1", "2019-01-01"));
        assertThat(book.booked()).isEqualByComparingTo("300.00");
        book.cancel("m-1");
        assertThat(book.booked()).isEqualByComparingTo("300.00");
        book.submitAndApprove("m-3", claim("p-1", "2019-01-01"));

        assertThat(book.booked()).isEqualByComparingTo("300.00");
        assertThat(book.liveOf("m-2")).singleElement().extracting(PayoutTriggeredEvent::payable)
                .isEqualTo(money("300.00"));
    }

    @Test
    void aParticipantCapFreedByACancelledClaimPaysTheClaimsThatStand() {
        BondBook book = rateCard("participant-cap", money("300.00"), true, money("500.00"));

        book.submitAndApprove("a", claim("p-1", "2019-01-01"));
        book.submitAndApprove("b", claim("p-1", "2019-01-02"));
        assertThat(book.capped()).isEqualByComparingTo("100.00");
        book.cancel("a");
        assertThat(book.booked()).isEqualByComparingTo("300.00");
        assertThat(book.capped()).isEqualByComparingTo("0.00");
        book.submitAndApprove("c", claim("p-1", "2019-01-03"));

        assertThat(book.booked()).isEqualByComparingTo("500.00");
        assertThat(book.capped()).isEqualByComparingTo("100.00");
        assertThat(book.liveOf("c")).singleElement().extracting(PayoutTriggeredEvent::rule).asString()
                .contains("capped by participant cap GBP 500.00");
    }

    /**
     * Utah: 0.8 of savings until investors have 1,000 x 1.05 back, then 0.1. Savings approved before any capital is
     * funded pay 0.1 (nothing to repay); funding re-books them at 0.8 at once; later savings cross the repayment.
     */
    @Test
    void utahSavingsAreBookedAgainstWhatWasBookedNotARecomputedPast() {
        BondBook book = BondBook.open("utah", new PaymentMechanism.SavingsShare("savings", money("0.8"), money("0.1"),
                money("0.05"), List.of(), null), List.of(metric("savings", false)));

        book.submitAndApprove("m-1", new Measurement.Savings(money("1000.00"), "2019"));
        assertThat(book.booked()).isEqualByComparingTo("100.00");
        book.bond.run("arranger", new CallCapitalCommand(book.bondId, "call-1", money("1000.00"), ON));
        book.bond.run("investor", new FundCapitalCallCommand(book.bondId, "call-1", "investor", money("1000.00")));
        assertThat(book.booked()).isEqualByComparingTo("800.00");
        book.submitAndApprove("m-2", new Measurement.Savings(money("1000.00"), "2020"));

        // 1,050 repays at 0.8 of 1,312.50 of savings; the other 687.50 pays 0.1
        assertThat(book.booked()).isEqualByComparingTo("1118.75");
    }

    @Test
    void maturityBooksThePooledPaymentWithoutAMeasurement() {
        BondBook book = BondBook.open("pooled", new PaymentMechanism.ThresholdVsComparison("reconvictions", true,
                money("0.10"), money("0.075"), money("100.00"), money("100"), null), List.of(metric("reconvictions", false)));
        book.submitAndApprove("y1", new Measurement.CohortResult("c1", "reconvictions", "y1", money("91"), money("100")));
        assertThat(book.booked()).isEqualByComparingTo("0.00");

        book.bond.run("arranger", new MatureBondCommand(book.bondId));

        assertThat(book.liveOf(null)).singleElement().satisfies(pooled -> {
            assertThat(pooled.payable()).isEqualByComparingTo("900.00");
            assertThat(pooled.rule()).contains("at maturity");
        });
        // a cohort result rejected after maturity takes the pooled payment with it
        book.cancel("y1");
        assertThat(book.booked()).isEqualByComparingTo("0.00");
    }

    /**
     * With rising tiers (half of the first 1,000 of savings, all of the rest), a result that moves below a settled one
     * lowers what the settled one is worth: the excess is a credit, set off when the payer settles its next payout.
     */
    @Test
    void whatWasSettledAboveWhatIsDueIsACreditSetOffAgainstTheNextPayout() {
        BondBook book = BondBook.open("credit", new PaymentMechanism.SavingsShare("savings", null, null, null, List.of(
                new PaymentMechanism.SavingsTier(money("1000.00"), money("0.5")),
                new PaymentMechanism.SavingsTier(null, BigDecimal.ONE)), null), List.of(metric("savings", false)));
        book.submitAndApprove("m-1", new Measurement.Savings(money("1000.00"), "2019"));
        book.submitAndApprove("m-2", new Measurement.Savings(money("1000.00"), "2020"));
        PayoutTriggeredEvent second = book.liveOf("m-2").get(0);
        assertThat(second.payable()).isEqualByComparingTo("1000.00");
        book.bond.run("payer", new SettlePayoutCommand(book.bondId, second.payoutId()));

        book.cancel("m-1");

        assertThat(book.booked()).isEqualByComparingTo("500.00");
        PayoutTriggeredEvent credit = book.liveOf("m-2").get(1);
        assertThat(credit.payable()).isEqualByComparingTo("-500.00");
        assertThat(credit.rule()).startsWith("credit of GBP 500.00");
        assertThat(book.bond.refuses("payer", new SettlePayoutCommand(book.bondId, credit.payoutId()), "credit-set-off"))
                .hasMessageContaining("set off");

        book.submitAndApprove("m-3", new Measurement.Savings(money("1000.00"), "2021"));
        PayoutTriggeredEvent third = book.liveOf("m-3").get(0);
        assertThat(third.payable()).isEqualByComparingTo("1000.00");
        book.bond.run("payer", new SettlePayoutCommand(book.bondId, third.payoutId()));

        // the payer's cash: 1,000 then 1,000 less the 500 credit, = everything now due (500 + 1,000)
        assertThat(book.settled()).isEqualByComparingTo("1500.00");
        assertThat(book.booked()).isEqualByComparingTo("1500.00");
    }

    /**
     * A credit larger than the payer's next payout is set off in part: that payout costs the payer nothing and the
     * rest of the credit waits for the one after, so the payer's cash comes to what is due however the credit falls.
     */
    @Test
    void aCreditLargerThanTheNextPayoutIsSetOffAcrossTheNextPayouts() {
        BondBook book = creditOf500();

        book.submitAndApprove("m-3", new Measurement.Savings(money("300.00"), "2021"));
        PayoutTriggeredEvent third = book.liveOf("m-3").get(0);
        assertThat(third.payable()).isEqualByComparingTo("300.00");
        book.bond.run("payer", new SettlePayoutCommand(book.bondId, third.payoutId()));

        // 300 of the credit paid the third payout; 200 of it is left, still a credit of the second result
        assertThat(book.settled()).isEqualByComparingTo("1000.00");
        assertThat(book.liveOf("m-2")).extracting(PayoutTriggeredEvent::payable).map(BigDecimal::toPlainString)
                .containsExactly("1000.00", "-300.00", "-200.00");
        book.submitAndApprove("m-4", new Measurement.Savings(money("300.00"), "2022"));
        book.bond.run("payer", new SettlePayoutCommand(book.bondId, book.liveOf("m-4").get(0).payoutId()));

        // the payer paid 1,000 + 0 + 100: everything now due (500 + 300 + 300), no credit left open
        assertThat(book.settled()).isEqualByComparingTo("1100.00");
        assertThat(book.booked()).isEqualByComparingTo("1100.00");
        assertThat(book.bond.refuses("payer", new SettlePayoutCommand(book.bondId,
                book.liveOf("m-2").get(2).payoutId()), "payout-not-payable")).hasMessageContaining("SETTLED");
    }

    /**
     * A credit still open at maturity has no next payout to be set off against: the bond repays it to the payer from
     * the cash it holds, recorded as the payer's settlement of the credit, and the bond can then close.
     */
    @Test
    void aCreditLeftAtMaturityIsRepaidFromTheBondsCashSoTheBondCanClose() {
        BondBook book = creditOf500();
        PayoutTriggeredEvent credit = book.liveOf("m-2").get(1);
        assertThat(book.bond.refuses("payer", new SettlePayoutCommand(book.bondId, credit.payoutId()), "credit-set-off"))
                .hasMessageContaining("set off");

        book.bond.run("arranger", new MatureBondCommand(book.bondId));
        book.bond.run("payer", new SettlePayoutCommand(book.bondId, credit.payoutId()));

        assertThat(book.settled()).isEqualByComparingTo("500.00");
        assertThat(book.booked()).isEqualByComparingTo("500.00");
        // the 500 left after the refund is paid out, and nothing is left open
        book.bond.run("arranger", new DisburseFundsCommand(book.bondId, "d-1", "provider", money("500.00")));
        book.bond.run("arranger", new CloseBondCommand(book.bondId));
    }

    /** A credit is repaid only from cash the bond holds: what was distributed already cannot be repaid from. */
    @Test
    void aCreditIsNotRepaidFromCashTheBondNoLongerHolds() {
        BondBook book = creditOf500();
        book.bond.run("arranger", new DisburseFundsCommand(book.bondId, "d-1", "provider", money("700.00")));
        book.bond.run("arranger", new MatureBondCommand(book.bondId));

        assertThat(book.bond.refuses("payer", new SettlePayoutCommand(book.bondId, book.liveOf("m-2").get(1).payoutId()),
                "insufficient-cash")).hasMessageContaining("300.00");
    }

    /**
     * An approved result under dispute is resolved by the reviewer, never superseded: a correction of it would leave
     * it approved with its payouts held for good (the dispute could no longer be resolved) and the correction unpaid.
     */
    @Test
    void aCorrectionSupersedesADisputedApprovalOnlyOnceTheReviewerHasRejectedIt() {
        BondBook book = rateCard("corrected", money("300.00"), true, null);
        book.submitAndApprove("m-1", claim("p-1", "2019-01-02"));
        book.bond.run("payer", new DecideOnMeasurementCommand(book.bondId, "m-1", Decision.DISPUTE, "payslip doubted"));

        assertThat(book.bond.refuses("evaluator", new SubmitMeasurementCommand(book.bondId, "m-2",
                claim("p-1", "2019-01-02"), "payslip-reissued", "m-1"), "cannot-supersede")).hasMessageContaining("dispute");

        book.bond.run("reviewer", new ResolveDisputeCommand(book.bondId, "m-1", DisputeResolution.REJECT,
                "the payslip was not the participant's"));
        book.bond.run("evaluator", new SubmitMeasurementCommand(book.bondId, "m-2", claim("p-1", "2019-01-02"),
                "payslip-reissued", "m-1"));
        book.approve("m-2");

        assertThat(book.liveOf("m-1")).isEmpty();
        assertThat(book.liveOf("m-2")).singleElement().extracting(PayoutTriggeredEvent::payable)
                .isEqualTo(money("300.00"));
    }

    /** Savings tiers (half of the first 1,000, all of the rest): 1,000 settled on m-2, then m-1 falls: a credit of 500. */
    private static BondBook creditOf500() {
        BondBook book = BondBook.open("credit", new PaymentMechanism.SavingsShare("savings", null, null, null, List.of(
                new PaymentMechanism.SavingsTier(money("1000.00"), money("0.5")),
                new PaymentMechanism.SavingsTier(null, BigDecimal.ONE)), null), List.of(metric("savings", false)));
        book.submitAndApprove("m-1", new Measurement.Savings(money("1000.00"), "2019"));
        book.submitAndApprove("m-2", new Measurement.Savings(money("1000.00"), "2020"));
        book.bond.run("payer", new SettlePayoutCommand(book.bondId, book.liveOf("m-2").get(0).payoutId()));
        book.cancel("m-1");
        assertThat(book.liveOf("m-2")).extracting(PayoutTriggeredEvent::payable).map(BigDecimal::toPlainString)
                .containsExactly("1000.00", "-500.00");
        return book;
    }

    private static BondBook rateCard(String bondId, BigDecimal price, boolean repeatable, BigDecimal participantCap) {
        return BondBook.open(bondId, new PaymentMechanism.RateCard(List.of(new PaymentMechanism.Price("job", price, null)),
                participantCap), List.<BondTerms.Metric>of(metric("job", repeatable)));
    }

    private static Measurement claim(String participant, String achievedOn) {
        return new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim(participant, "job",
                LocalDate.parse(achievedOn), "payslip")));
    }
}
