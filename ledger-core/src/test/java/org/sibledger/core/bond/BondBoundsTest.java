package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;

import org.sibledger.contracts.payout.PayoutTriggeredEvent;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every amount, figure, count and date a command carries is bounded (see {@link Bounds}): the largest value inside
 * each bound is recorded, the smallest outside is refused as INVALID with its code and the field's pointer, and a
 * refusal records nothing.
 */
class BondBoundsTest {

    private static final String BOND = "bounds";
    private static final String MAX_MONEY = "999999999999999.99";
    private static final String OVER_MONEY = "1000000000000000.00";
    private static final String MAX_FIGURE = "999999999999999.9999999999";
    private static final LocalDate FIRST_DAY = LocalDate.parse("2000-01-01");
    private static final LocalDate LAST_DAY = LocalDate.parse("2100-12-31");
    private static final LocalDate DAY = LocalDate.parse("2019-04-01");

    // ------------------------------------------------------------------ money in commands

    @Test
    void aCommitmentOfFifteenIntegerDigitsIsRecordedAndOneMoreIsRefused() {
        BondHarness bond = new BondHarness(rateCard());
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money(OVER_MONEY))));
        outOfRange(bond, "amount-out-of-range", "/amount", () -> bond.run("investor", new MakeCommitmentCommand(BOND,
                "investor", "senior", money("1234567890123456789012345678901234567890"))));
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("1E+999999999"))));
        assertThat(bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money(MAX_MONEY)))).hasSize(1);
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior", money(OVER_MONEY))));
    }

    @Test
    void increasesNeverBringACommitmentToSixteenIntegerDigits() {
        // each increase is in range, but the commitment they add up to is money, recorded as the event's new total
        BondHarness bond = new BondHarness(rateCard());
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("999999999999998.99")));
        CommandRefusedException refusal = outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior", money("1.01"))));
        assertThat(refusal.getMessage()).contains("1000000000000000.00");
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior", money(MAX_MONEY))));
        assertThat(bond.run("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior", money("1.00"))))
                .hasSize(1);
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior", money("0.01"))));
    }

    @Test
    void theBondsCommitmentsTogetherStayBelowTenToTheFifteenth() {
        // each investor's commitment is in range, but the bond records their sum when it opens
        BondTerms base = rateCard();
        BondTerms.Parties p = base.parties();
        BondHarness bond = new BondHarness(new BondTerms(BOND, base.name(), base.currency(), base.contractCap(),
                base.serviceStart(), base.serviceEnd(), new BondTerms.Parties(p.arranger(), p.serviceProviders(),
                p.outcomePayers(), p.evaluators(), List.of("investor", "investor2"), p.reviewers()), base.metrics(),
                base.paymentMechanism(), base.investorTerms()));
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("600000000000000.00")));
        CommandRefusedException refusal = outOfRange(bond, "amount-out-of-range", "/amount", () -> bond.run("investor2",
                new MakeCommitmentCommand(BOND, "investor2", "senior", money("400000000000000.00"))));
        assertThat(refusal.getMessage()).contains("the bond's commitments", "1000000000000000.00");
        bond.run("investor2", new MakeCommitmentCommand(BOND, "investor2", "senior", money("399999999999999.99")));
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior", money("0.01"))));
        assertThat(bond.run("arranger", new OpenBondCommand(BOND))).hasSize(1);
    }

    @Test
    void anAmountFinerThanAnyMinorUnitIsRefusedWithoutSpellingOutItsBillionDigits() {
        BondHarness bond = new BondHarness(rateCard());
        CommandRefusedException refusal = outOfRange(bond, "invalid-amount", "/amount",
                () -> bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("1E-999999999"))));
        assertThat(refusal.getMessage()).hasSizeLessThan(200);
    }

    @Test
    void capitalCallsFundingsDisbursementsAndDistributionsAreBoundedToo() {
        BondHarness bond = openRateCard();
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money(OVER_MONEY), DAY)));
        bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("1000.00"), DAY));
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money(OVER_MONEY))));
        bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money("1000.00")));
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("arranger", new DisburseFundsCommand(BOND, "d-1", "provider", money(OVER_MONEY))));
        outOfRange(bond, "amount-out-of-range", "/amount",
                () -> bond.run("arranger", new DistributeCommand(BOND, "dist-1", money(OVER_MONEY), DAY)));
    }

    // ------------------------------------------------------------------ dates in commands

    @Test
    void capitalCallsAreDueFrom2000To2100() {
        BondHarness bond = openRateCard();
        outOfRange(bond, "date-out-of-range", "/dueDate",
                () -> bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("1.00"), FIRST_DAY.minusDays(1))));
        outOfRange(bond, "date-out-of-range", "/dueDate",
                () -> bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("1.00"), LAST_DAY.plusDays(1))));
        outOfRange(bond, "date-out-of-range", "/dueDate",
                () -> bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("1.00"), LocalDate.MIN)));
        assertThat(bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("1.00"), FIRST_DAY))).hasSize(1);
        assertThat(bond.run("arranger", new CallCapitalCommand(BOND, "call-2", money("1.00"), LAST_DAY))).hasSize(1);
    }

    @Test
    void distributionsGuaranteeCallsAndAmendmentsAreDatedFrom2000To2100() {
        BondHarness bond = openRateCard();
        bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("1000.00"), DAY));
        bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money("1000.00")));
        outOfRange(bond, "date-out-of-range", "/date",
                () -> bond.run("arranger", new DistributeCommand(BOND, "dist-1", money("10.00"), LAST_DAY.plusDays(1))));
        assertThat(bond.run("arranger", new DistributeCommand(BOND, "dist-1", money("10.00"), LAST_DAY))).hasSize(1);
        BondTerms terms = rateCard();
        outOfRange(bond, "date-out-of-range", "/effectiveFrom", () -> bond.run("arranger",
                new ProposeAmendmentCommand(BOND, "v-1", terms, "a variation", FIRST_DAY.minusDays(1))));
        assertThat(bond.run("arranger", new ProposeAmendmentCommand(BOND, "v-2", terms, "a variation", FIRST_DAY)))
                .hasSize(1);
        bond.run("arranger", new MatureBondCommand(BOND));
        outOfRange(bond, "date-out-of-range", "/date",
                () -> bond.run("arranger", new CallGuaranteeCommand(BOND, LocalDate.of(-999_999_999, 1, 1))));
    }

    // ------------------------------------------------------------------ cohorts

    @Test
    void aCohortHasOneToTenMillionPeopleAndStartsFrom2000To2100() {
        BondHarness bond = openRateCard();
        outOfRange(bond, "number-out-of-range", "/size",
                () -> bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10_000_001, DAY)));
        outOfRange(bond, "number-out-of-range", "/size",
                () -> bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 0, DAY)));
        outOfRange(bond, "date-out-of-range", "/startDate",
                () -> bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10, LAST_DAY.plusDays(1))));
        assertThat(bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10_000_000, FIRST_DAY))).hasSize(1);
        assertThat(bond.run("provider", new OpenCohortCommand(BOND, "c2", "Cohort", 1, LAST_DAY))).hasSize(1);
    }

    // ------------------------------------------------------------------ terms

    @Test
    void termsWithAFigureOutOfRangeAreRefusedWithEveryOneNamed() {
        BondTerms good = rateCard();
        BondTerms bad = new BondTerms(BOND, good.name(), "GBP", money(OVER_MONEY), good.serviceStart(),
                LAST_DAY.plusDays(1), good.parties(), good.metrics(), new PaymentMechanism.RateCard(List.of(
                new PaymentMechanism.Price("earns-768", money("1E+20"), null)), null), good.investorTerms());
        CommandRefusedException refusal = structureRefused(bad);
        assertThat(refusal.code()).isEqualTo("amount-out-of-range");
        assertThat(refusal.violations()).extracting(FieldViolation::pointer)
                .containsExactly("/contractCap", "/serviceEnd", "/paymentMechanism/prices/0/price");

        BondTerms largest = new BondTerms(BOND, good.name(), "GBP", money(MAX_MONEY), FIRST_DAY, LAST_DAY,
                good.parties(), good.metrics(), new PaymentMechanism.RateCard(List.of(
                new PaymentMechanism.Price("earns-768", money(MAX_MONEY), money(MAX_MONEY))), money(MAX_MONEY)),
                good.investorTerms());
        assertThat(new BondHarness(largest).history()).hasSize(1);
    }

    @Test
    void mechanismFiguresHaveAtMostFifteenIntegerDigitsAndTenDecimals() {
        CommandRefusedException scale = structureRefused(threshold("1000.00", "0.00000000001"));
        assertThat(scale.code()).isEqualTo("number-out-of-range");
        assertThat(scale.violations()).extracting(FieldViolation::pointer).containsExactly("/paymentMechanism/unitScale");
        assertThat(new BondHarness(threshold("1000.00", "0.0000000001")).history()).hasSize(1);
        assertThat(new BondHarness(threshold("1000.00", MAX_FIGURE)).history()).hasSize(1);
        assertThat(structureRefused(threshold("1000.00", "1000000000000000")).violations())
                .extracting(FieldViolation::pointer).containsExactly("/paymentMechanism/unitScale");
        assertThat(structureRefused(threshold(OVER_MONEY, "1")).violations())
                .extracting(FieldViolation::pointer).containsExactly("/paymentMechanism/pricePerUnit");

        CommandRefusedException share = structureRefused(savings("1.0000000001"));
        assertThat(share.code()).isEqualTo("number-out-of-range");
        assertThat(share.violations()).extracting(FieldViolation::pointer)
                .containsExactly("/paymentMechanism/shareUntilRepaid");
        assertThat(new BondHarness(savings("1")).history()).hasSize(1);
    }

    @Test
    void everyOtherFigureOfTheTermsIsBoundedAtItsPointer() {
        BondTerms good = rateCard();
        String over = "1000000000000000";
        String tooFine = "0.00000000001";
        BondTerms.Parties p = good.parties();
        Map<String, BondTerms> byPointer = new LinkedHashMap<>();
        byPointer.put("/parties/outcomePayers/0/cap", new BondTerms(BOND, good.name(), "GBP", null, good.serviceStart(),
                good.serviceEnd(), new BondTerms.Parties(p.arranger(), p.serviceProviders(), List.of(
                new BondTerms.OutcomePayer("payer", BigDecimal.ONE, money(over))), p.evaluators(), p.investors()),
                good.metrics(), good.paymentMechanism(), good.investorTerms()));
        byPointer.put("/serviceStart", new BondTerms(BOND, good.name(), "GBP", null, FIRST_DAY.minusDays(1),
                good.serviceEnd(), p, good.metrics(), good.paymentMechanism(), good.investorTerms()));
        byPointer.put("/paymentMechanism/prices/0/metricCap", terms(new PaymentMechanism.RateCard(List.of(
                new PaymentMechanism.Price("earns-768", money("2750.00"), money(over))), null)));
        byPointer.put("/paymentMechanism/perParticipantCap", terms(new PaymentMechanism.RateCard(List.of(
                new PaymentMechanism.Price("earns-768", money("2750.00"), null)), money(over))));
        byPointer.put("/paymentMechanism/cohortThreshold", terms(new PaymentMechanism.ThresholdVsComparison("earns-768",
                true, money(tooFine), money("0.075"), money("1000.00"), BigDecimal.ONE, null)));
        byPointer.put("/paymentMechanism/cap", terms(new PaymentMechanism.ThresholdVsComparison("earns-768",
                true, money("0.10"), money("0.075"), money("1000.00"), BigDecimal.ONE, money(over))));
        byPointer.put("/paymentMechanism/maximumOutcomePayment", terms(new PaymentMechanism.WeightedTargets(money(over),
                List.of(new PaymentMechanism.Target("earns-768", BigDecimal.TEN, BigDecimal.ONE)))));
        byPointer.put("/paymentMechanism/targets/0/target", terms(new PaymentMechanism.WeightedTargets(money("10.00"),
                List.of(new PaymentMechanism.Target("earns-768", money(over), BigDecimal.ONE)))));
        byPointer.put("/paymentMechanism/repaymentInterestRate", terms(new PaymentMechanism.SavingsShare("earns-768",
                money("0.5"), money("0.1"), money(tooFine), List.of(), null)));
        byPointer.put("/paymentMechanism/tiers/0/share", terms(new PaymentMechanism.SavingsShare("earns-768", null, null,
                null, List.of(new PaymentMechanism.SavingsTier(null, money("1.5"))), null)));
        byPointer.put("/paymentMechanism/tiers/0/upTo", terms(new PaymentMechanism.SavingsShare("earns-768", null, null,
                null, List.of(new PaymentMechanism.SavingsTier(money(over), money("0.5"))), null)));
        byPointer.put("/paymentMechanism/tiers/0/payment", terms(new PaymentMechanism.Graduated("earns-768", List.of(
                new PaymentMechanism.GraduatedTier(BigDecimal.ONE, money(over))))));
        byPointer.put("/paymentMechanism/tiers/0/atLeast", terms(new PaymentMechanism.Graduated("earns-768", List.of(
                new PaymentMechanism.GraduatedTier(money(over), money("10.00"))))));
        byPointer.put("/investorTerms/tranches/0/rank", withTranche(new BondTerms.Tranche("senior", 10_000_001,
                null)));
        byPointer.put("/investorTerms/tranches/0/returnCapIrr", withTranche(new BondTerms.Tranche("senior", 1,
                money(tooFine))));
        byPointer.forEach((pointer, terms) -> {
            CommandRefusedException refusal = structureRefused(terms);
            assertThat(refusal.code()).as(pointer).isIn("amount-out-of-range", "number-out-of-range", "date-out-of-range");
            assertThat(refusal.violations()).extracting(FieldViolation::pointer).as(refusal.getMessage())
                    .containsExactly(pointer);
        });
        assertThat(new BondHarness(withTranche(new BondTerms.Tranche("senior", 10_000_000, money(MAX_FIGURE))))
                .history()).hasSize(1);
    }

    @Test
    void aMechanismNeverDividesByZero() {
        CommandRefusedException refusal = structureRefused(threshold("1000.00", "0"));
        assertThat(refusal.code()).isEqualTo("invalid-terms");
        assertThat(refusal.violations()).extracting(FieldViolation::pointer).containsExactly("/paymentMechanism/unitScale");
    }

    // ------------------------------------------------------------------ measurements

    @Test
    void claimsAreAchievedFrom2000To2100() {
        BondHarness bond = openRateCard();
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10, DAY));
        bond.run("provider", new EnrolParticipantsCommand(BOND, "c1", List.of("p-1")));
        outOfRange(bond, "date-out-of-range", "/measurement/claims/0/achievedOn", () -> bond.run("evaluator",
                claims("m-1", LAST_DAY.plusDays(1))));
        outOfRange(bond, "date-out-of-range", "/measurement/claims/0/achievedOn", () -> bond.run("evaluator",
                claims("m-1", LocalDate.MAX)));
        // inside the bounds, the bond's outcome window decides (OutcomeDatesTest): 2100-12-31 is storable, but future
        bond.refuses("evaluator", claims("m-1", LAST_DAY), "future-outcome");
    }

    @Test
    void cohortResultsAreBoundedAndSoAreTheImprovementAndThePaymentTheyWouldGive() {
        BondHarness bond = open(threshold("1000.00", "1"));
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10_000_000, DAY));
        outOfRange(bond, "number-out-of-range", "/measurement/treated",
                () -> bond.run("evaluator", cohortResult("m-1", "1000000000000000", "1")));
        outOfRange(bond, "number-out-of-range", "/measurement/comparison",
                () -> bond.run("evaluator", cohortResult("m-1", "1", "0.00000000001")));
        // 1 / 0.0000000001 is 10^10, its improvement storable; 100000 / 0.0000000001 is 10^15, not
        outOfRange(bond, "number-out-of-range", "/measurement/comparison",
                () -> bond.run("evaluator", cohortResult("m-1", "100000", "0.0000000001")));
        // 1000.00 a unit x 100000 units x 10,000,000 people = 10^15
        outOfRange(bond, "amount-out-of-range", "/measurement/treated",
                () -> bond.run("evaluator", cohortResult("m-1", "100000", "200000")));
        assertThat(bond.run("evaluator", cohortResult("m-1", "100000.01", "200000"))).hasSize(1);
        assertThat(bond.run("evaluator", cohortResult("m-2", MAX_FIGURE, MAX_FIGURE))).hasSize(1);
    }

    @Test
    void aVariationCannotPriceAnEarlierResultBeyondTheBounds() {
        BondHarness bond = open(threshold("1000.00", "1"));
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10_000_000, DAY));
        // 1000.00 x 99999.99 x 10,000,000 = 999,999,900,000,000: just inside; approved, so it is priced again at maturity
        bond.run("evaluator", cohortResult("m-1", "100000.01", "200000"));
        bond.run("payer", new org.sibledger.contracts.measurement.DecideOnMeasurementCommand(BOND, "m-1",
                org.sibledger.contracts.measurement.Decision.APPROVE, "verified"));
        outOfRange(bond, "amount-out-of-range", "/terms/paymentMechanism/pricePerUnit", () -> bond.run("arranger",
                new ProposeAmendmentCommand(BOND, "v-3", threshold("1000.01", "1"), "a better price", DAY)));
        outOfRange(bond, "amount-out-of-range", "/terms/paymentMechanism/pricePerUnit", () -> bond.run("arranger",
                new ProposeAmendmentCommand(BOND, "v-4", threshold("1000.00", "0.99"), "a finer unit", DAY)));
        assertThat(bond.run("arranger", new ProposeAmendmentCommand(BOND, "v-5", threshold("900.00", "1"), "a lower price",
                DAY))).hasSize(1);
    }

    @Test
    void aVariationTakesEffectOnlyIfItPricesTheResultsSubmittedSinceItWasProposedWithinTheBounds() {
        BondHarness bond = open(threshold("1000.00", "1"));
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10_000_000, DAY));
        bond.run("arranger", new ProposeAmendmentCommand(BOND, "v-1", threshold("1000.01", "1"), "a better price", DAY));
        // within the bounds at 1000.00 a unit, beyond them at 1000.01
        bond.run("evaluator", cohortResult("m-1", "100000.01", "200000"));
        bond.run("payer", new org.sibledger.contracts.bond.ConsentToAmendmentCommand(BOND, "v-1"));
        CommandRefusedException refusal = outOfRange(bond, "amount-out-of-range", "/terms/paymentMechanism/pricePerUnit",
                () -> bond.run("investor", new org.sibledger.contracts.bond.ConsentToAmendmentCommand(BOND, "v-1")));
        assertThat(refusal.getMessage()).contains("cohort 'c1'");
    }

    @Test
    void whatTheBondDerivesIsBoundedTooSoAPooledPaymentBeyondTheBoundsRefusesMaturityAndRecordsNothing() {
        BondHarness bond = open(threshold("1000.00", "1"));
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10_000_000, DAY));
        bond.run("provider", new OpenCohortCommand(BOND, "c2", "Cohort", 10_000_000, DAY));
        // each an 8% improvement, below the 10% cohort threshold and above the 7.5% pooled one: 60,000 units of
        // 10,000,000 people at 1000.00 is 6 x 10^14 each, within the bounds; pooled at maturity, 1.2 x 10^15 is not
        for (String cohort : List.of("c1", "c2")) {
            bond.run("evaluator", submit("m-" + cohort, new Measurement.CohortResult(cohort, "earns-768", "2019",
                    money("690000"), money("750000"))));
            bond.run("payer", new org.sibledger.contracts.measurement.DecideOnMeasurementCommand(BOND, "m-" + cohort,
                    org.sibledger.contracts.measurement.Decision.APPROVE, "verified"));
        }
        int before = bond.history().size();
        CommandRefusedException refusal = bond.refuses("arranger", new MatureBondCommand(BOND),
                "amount-out-of-range");
        assertThat(refusal.getMessage()).contains("PayoutTriggeredEvent", "gross = 1200000000000000");
        assertThat(bond.history()).hasSize(before);
        // a lower price, agreed by the parties, lets the bond mature, paying the pooled 600,000 units at 500.00
        bond.run("arranger", new ProposeAmendmentCommand(BOND, "v-1", threshold("500.00", "1"), "repriced", DAY));
        bond.run("payer", new org.sibledger.contracts.bond.ConsentToAmendmentCommand(BOND, "v-1"));
        bond.run("investor", new org.sibledger.contracts.bond.ConsentToAmendmentCommand(BOND, "v-1"));
        assertThat(bond.run("arranger", new MatureBondCommand(BOND)))
                .extracting(e -> e.getPayload()).filteredOn(p -> p instanceof PayoutTriggeredEvent)
                .extracting(p -> ((PayoutTriggeredEvent) p).gross()).containsExactly(money("600000000000000.00"));
    }

    @Test
    void targetResultsAndSavingsAreBounded() {
        BondHarness targets = open(terms(new PaymentMechanism.WeightedTargets(money("1000.00"),
                List.of(new PaymentMechanism.Target("earns-768", money("10"), BigDecimal.ONE)))));
        outOfRange(targets, "number-out-of-range", "/measurement/achieved",
                () -> targets.run("evaluator", submit("m-1", new Measurement.TargetResult("earns-768", money("1E+15")))));
        outOfRange(targets, "number-out-of-range", "/measurement/achieved", () -> targets.run("evaluator",
                submit("m-1", new Measurement.TargetResult("earns-768", money("0.00000000001")))));
        assertThat(targets.run("evaluator", submit("m-1", new Measurement.TargetResult("earns-768", money(MAX_FIGURE)))))
                .hasSize(1);

        BondHarness savings = open(savings("0.5"));
        outOfRange(savings, "amount-out-of-range", "/measurement/amount",
                () -> savings.run("evaluator", submit("m-1", new Measurement.Savings(money(OVER_MONEY), "2019"))));
        assertThat(savings.run("evaluator", submit("m-1", new Measurement.Savings(money(MAX_MONEY), "2019")))).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    /** Refused as INVALID with the code, at the pointer, and nothing recorded. */
    private static CommandRefusedException outOfRange(BondHarness bond, String code, String pointer,
                                                      Supplier<?> command) {
        int before = bond.history().size();
        Throwable thrown = catchThrowable(command::get);
        assertThat(thrown).as("refused with " + code).isInstanceOf(CommandRefusedException.class);
        CommandRefusedException refusal = (CommandRefusedException) thrown;
        assertThat(refusal.kind()).isEqualTo(CommandRefusedException.Kind.INVALID);
        assertThat(refusal.code()).as(refusal.getMessage()).isEqualTo(code);
        assertThat(refusal.violations()).extracting(FieldViolation::pointer).containsExactly(pointer);
        assertThat(bond.history()).as("recorded by a refused command").hasSize(before);
        return refusal;
    }

    private static CommandRefusedException structureRefused(BondTerms terms) {
        Throwable thrown = catchThrowable(() -> new BondHarness(terms));
        assertThat(thrown).isInstanceOf(CommandRefusedException.class);
        return (CommandRefusedException) thrown;
    }

    private static BondHarness openRateCard() {
        return open(rateCard());
    }

    private static BondHarness open(BondTerms terms) {
        BondHarness bond = new BondHarness(terms);
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("1000000.00")));
        bond.run("arranger", new OpenBondCommand(BOND));
        return bond;
    }

    private static BondTerms rateCard() {
        return TestTerms.rateCard(BOND);
    }

    private static BondTerms terms(PaymentMechanism mechanism) {
        BondTerms base = rateCard();
        return new BondTerms(BOND, base.name(), base.currency(), null, base.serviceStart(), base.serviceEnd(),
                base.parties(), base.metrics(), mechanism, base.investorTerms());
    }

    private static BondTerms withTranche(BondTerms.Tranche tranche) {
        BondTerms base = rateCard();
        return new BondTerms(BOND, base.name(), base.currency(), base.contractCap(), base.serviceStart(),
                base.serviceEnd(), base.parties(), base.metrics(), base.paymentMechanism(),
                new BondTerms.InvestorTerms(List.of(tranche)));
    }

    private static BondTerms threshold(String pricePerUnit, String unitScale) {
        return terms(new PaymentMechanism.ThresholdVsComparison("earns-768", true, money("0.10"), money("0.075"),
                money(pricePerUnit), money(unitScale), null));
    }

    private static BondTerms savings(String share) {
        return terms(new PaymentMechanism.SavingsShare("earns-768", money(share), money("0.1"), money("0.05"),
                List.of(), null));
    }

    private static SubmitMeasurementCommand claims(String id, LocalDate achievedOn) {
        return submit(id, new Measurement.OutcomeClaims(List.of(
                new Measurement.OutcomeClaim("p-1", "earns-768", achievedOn, "payslip"))));
    }

    private static SubmitMeasurementCommand cohortResult(String id, String treated, String comparison) {
        return submit(id, new Measurement.CohortResult("c1", "earns-768", "2019", money(treated), money(comparison)));
    }

    private static SubmitMeasurementCommand submit(String id, Measurement measurement) {
        return new SubmitMeasurementCommand(BOND, id, measurement, "evidence", null);
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }
}
