package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sibledger.core.bond.BondBook.metric;
import static org.sibledger.core.bond.BondBook.money;

/**
 * DOMAIN.md: an outcome is priced by the terms in force on its date, whenever it is approved, and counts only inside
 * the contract's outcome window (service start to the outcomes end, which defaults to the service end), never in the
 * future. The harness's clock starts on 2019-01-07 and moves a day per command.
 */
class OutcomeDatesTest {

    private static final List<BondTerms.OutcomePayer> PAYER = List.of(new BondTerms.OutcomePayer("payer", BigDecimal.ONE, null));

    @Test
    void anAmendmentPricesOnlyOutcomesOnOrAfterItsEffectiveDate() {
        BondBook book = BondBook.open("amended", rateCard("100.00"), List.of(metric("job", true)));
        book.submit("before", claim("p-1", "2019-01-02"));
        book.submit("after", claim("p-2", "2019-01-04"));

        BondTerms doubled = BondBook.terms("amended", rateCard("200.00"), List.of(metric("job", true)), PAYER, null,
                BondBook.SERVICE_END, null);
        amend(book, doubled, "price review", LocalDate.parse("2019-01-03"));
        book.approve("before");
        book.approve("after");

        assertThat(book.liveOf("before")).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("100.00");
            assertThat(line.termsVersion()).isEqualTo(1);
            assertThat(line.rule()).contains("(terms version 1)");
        });
        assertThat(book.liveOf("after")).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("200.00");
            assertThat(line.termsVersion()).isEqualTo(2);
        });
    }

    @Test
    void aRetroactiveAmendmentReBooksWhatWasApprovedUnderTheTermsItReplaces() {
        BondBook book = BondBook.open("retro", rateCard("100.00"), List.of(metric("job", true)));
        book.submitAndApprove("m-1", claim("p-1", "2019-01-04"));
        assertThat(book.booked()).isEqualByComparingTo("100.00");

        BondTerms doubled = BondBook.terms("retro", rateCard("200.00"), List.of(metric("job", true)), PAYER, null,
                BondBook.SERVICE_END, null);
        amend(book, doubled, "agreed uplift", LocalDate.parse("2019-01-03"));

        assertThat(book.booked()).isEqualByComparingTo("200.00");
        assertThat(book.liveOf("m-1")).extracting(PayoutTriggeredEvent::termsVersion).containsExactly(1, 2);
    }

    /** Caps count the outcomes of every terms version: a participant's cap is used by what the old price paid. */
    @Test
    void aParticipantsCapCountsOutcomesPricedByEveryVersion() {
        BondBook book = BondBook.open("capped-versions", new PaymentMechanism.RateCard(List.of(
                new PaymentMechanism.Price("job", money("300.00"), null)), money("500.00")), List.of(metric("job", true)));
        book.submitAndApprove("old-price", claim("p-1", "2019-01-02"));

        BondTerms dearer = BondBook.terms("capped-versions", new PaymentMechanism.RateCard(List.of(
                        new PaymentMechanism.Price("job", money("400.00"), null)), money("500.00")),
                List.of(metric("job", true)), PAYER, null, BondBook.SERVICE_END, null);
        amend(book, dearer, "price review", LocalDate.parse("2019-01-03"));
        book.submitAndApprove("new-price", claim("p-1", "2019-01-04"));

        assertThat(book.liveOf("old-price")).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("300.00");
            assertThat(line.termsVersion()).isEqualTo(1);
        });
        assertThat(book.liveOf("new-price")).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("200.00");
            assertThat(line.capped()).isEqualByComparingTo("200.00");
            assertThat(line.termsVersion()).isEqualTo(2);
            assertThat(line.rule()).contains("capped by participant cap GBP 500.00");
        });
    }

    /** An amendment agreed after the bond matured re-books what it changes at once, as one agreed before does. */
    @Test
    void anAmendmentThatTakesEffectAfterMaturityReBooksAtOnce() {
        BondBook book = BondBook.open("matured-amended", rateCard("100.00"), List.of(metric("job", true)));
        book.submitAndApprove("m-1", claim("p-1", "2019-01-04"));
        BondTerms doubled = BondBook.terms("matured-amended", rateCard("200.00"), List.of(metric("job", true)), PAYER,
                null, BondBook.SERVICE_END, null);
        book.bond.run("arranger", new ProposeAmendmentCommand(book.bondId, "v2", doubled, "agreed uplift",
                LocalDate.parse("2019-01-03")));
        book.bond.run("arranger", new org.sibledger.contracts.bond.MatureBondCommand(book.bondId));
        book.bond.run("payer", new ConsentToAmendmentCommand(book.bondId, "v2"));
        book.bond.run("investor", new ConsentToAmendmentCommand(book.bondId, "v2"));

        assertThat(book.booked()).isEqualByComparingTo("200.00");
        assertThat(book.liveOf("m-1")).extracting(PayoutTriggeredEvent::termsVersion).containsExactly(1, 2);
    }

    /** A closed bond's account is final: an amendment still awaiting consent can no longer take effect. */
    @Test
    void anAmendmentCannotTakeEffectOnAClosedBond() {
        BondBook book = BondBook.open("closed-amended", rateCard("100.00"), List.of(metric("job", true)));
        BondTerms doubled = BondBook.terms("closed-amended", rateCard("200.00"), List.of(metric("job", true)), PAYER,
                null, BondBook.SERVICE_END, null);
        book.bond.run("arranger", new ProposeAmendmentCommand(book.bondId, "v2", doubled, "agreed uplift",
                LocalDate.parse("2019-01-03")));
        book.bond.run("arranger", new org.sibledger.contracts.bond.MatureBondCommand(book.bondId));
        book.bond.run("arranger", new org.sibledger.contracts.bond.CloseBondCommand(book.bondId));

        assertThat(book.bond.refuses("payer", new ConsentToAmendmentCommand(book.bondId, "v2"), "bond-closed"))
                .hasMessageContaining("CLOSED");
    }

    @Test
    void anAmendmentCannotChangeTheKindOfMechanism() {
        BondBook book = BondBook.open("kind", rateCard("100.00"), List.of(metric("job", true)));
        BondTerms graduated = BondBook.terms("kind", new PaymentMechanism.Graduated("job", List.of(
                new PaymentMechanism.GraduatedTier(money("0.1"), money("10.00")))), List.of(metric("job", true)), PAYER,
                null, BondBook.SERVICE_END, null);

        assertThat(book.bond.refuses("arranger", new ProposeAmendmentCommand("kind", "v2", graduated, "switch",
                LocalDate.parse("2019-01-03")), "invalid-amendment")).hasMessageContaining("kind of payment mechanism");
    }

    @Test
    void onlyOutcomesInsideTheWindowAndNotInTheFutureAreAccepted() {
        // the service ran 2018-10-01 to 2018-12-31; outcomes count to the service end unless the terms say otherwise
        BondBook book = BondBook.open(BondBook.terms("window", rateCard("100.00"), List.of(metric("job", true)), PAYER,
                null, LocalDate.parse("2018-12-31"), null));

        refused("outside-outcome-window", "/measurement/claims/0/achievedOn", () -> book.submit("m-1", claim("p-1", "2018-06-01")));
        refused("outside-outcome-window", "/measurement/claims/0/achievedOn", () -> book.submit("m-2", claim("p-1", "2019-01-03")));
        refused("future-outcome", "/measurement/claims/0/achievedOn", () -> book.submit("m-3", claim("p-1", "2030-01-01")));
        book.submit("m-4", claim("p-1", "2018-12-31"));
        assertThat(book.bond.history()).noneMatch(e -> e.getPayload().toString().contains("m-1")
                || e.getPayload().toString().contains("m-2") || e.getPayload().toString().contains("m-3"));
    }

    @Test
    void aTrackingTailExtendsTheWindowPastTheService() {
        BondBook book = BondBook.open(BondBook.terms("tail", rateCard("100.00"), List.of(metric("job", true)), PAYER,
                null, LocalDate.parse("2018-12-31"), LocalDate.parse("2019-06-30")));

        book.submitAndApprove("m-1", claim("p-1", "2019-01-03"));

        assertThat(book.booked()).isEqualByComparingTo("100.00");
    }

    @Test
    void anOutcomeBeforeItsParticipantsCohortStartedIsRefused() {
        BondBook book = BondBook.open("early", rateCard("100.00"), List.of(metric("job", true)));
        book.bond.run("provider", new org.sibledger.contracts.cohort.OpenCohortCommand("early", "c2", "Later cohort", 5,
                LocalDate.parse("2018-12-01")));
        book.bond.run("provider", new org.sibledger.contracts.cohort.EnrolParticipantsCommand("early", "c2", List.of("late-1")));

        refused("before-enrolment", "/measurement/claims/0/achievedOn", () -> book.submit("m-1", claim("late-1", "2018-11-15")));
        book.submit("m-2", claim("late-1", "2018-12-01"));
    }

    @Test
    void aResultsPeriodEndIsCheckedAndPricesIt() {
        BondBook book = BondBook.open("period", new PaymentMechanism.WeightedTargets(money("1000.00"), List.of(
                new PaymentMechanism.Target("learning", money("10"), BigDecimal.ONE))), List.of(metric("learning", false)));

        refused("future-outcome", "/measurement/periodEnd", () -> book.submit("m-1",
                new Measurement.TargetResult("learning", money("5"), LocalDate.parse("2029-12-31"))));
        refused("outside-outcome-window", "/measurement/periodEnd", () -> book.submit("m-2",
                new Measurement.TargetResult("learning", money("5"), LocalDate.parse("2018-09-30"))));
        BondTerms doubled = BondBook.terms("period", new PaymentMechanism.WeightedTargets(money("2000.00"), List.of(
                        new PaymentMechanism.Target("learning", money("10"), BigDecimal.ONE))), List.of(metric("learning", false)),
                PAYER, null, BondBook.SERVICE_END, null);
        amend(book, doubled, "more funding", LocalDate.parse("2019-01-01"));

        book.submitAndApprove("m-3", new Measurement.TargetResult("learning", money("5"), LocalDate.parse("2018-12-31")));

        assertThat(book.booked()).isEqualByComparingTo("500.00");
    }

    /**
     * A result without a period end is dated by the day it is submitted. After the outcome window has closed that day
     * would place it outside the window (or, taken as inside, pay for what may not be), so the period's end is required.
     */
    @Test
    void aResultSubmittedAfterTheWindowClosedNeedsItsPeriodEnd() {
        BondBook book = BondBook.open(BondBook.terms("late-result", new PaymentMechanism.WeightedTargets(money("1000.00"),
                        List.of(new PaymentMechanism.Target("learning", money("10"), BigDecimal.ONE))),
                List.of(metric("learning", false)), PAYER, null, LocalDate.parse("2018-12-31"), null));

        refused("period-end-required", "/measurement/periodEnd", () -> book.submit("m-1",
                new Measurement.TargetResult("learning", money("5"))));
        book.submitAndApprove("m-2", new Measurement.TargetResult("learning", money("5"), LocalDate.parse("2018-12-31")));

        assertThat(book.booked()).isEqualByComparingTo("500.00");
    }

    /**
     * Once an amendment has taken effect, the day a result is submitted no longer tells which terms price it: its
     * period may have ended under the terms the amendment replaced. The period's end is required; before the
     * amendment takes effect the day of submission still dates it under the terms in force.
     */
    @Test
    void aResultSubmittedAfterAnAmendmentTookEffectNeedsItsPeriodEnd() {
        BondBook book = BondBook.open("amended-result", new PaymentMechanism.WeightedTargets(money("1000.00"), List.of(
                new PaymentMechanism.Target("learning", money("10"), BigDecimal.ONE))), List.of(metric("learning", false)));
        BondTerms doubled = BondBook.terms("amended-result", new PaymentMechanism.WeightedTargets(money("2000.00"),
                        List.of(new PaymentMechanism.Target("learning", money("10"), BigDecimal.ONE))),
                List.of(metric("learning", false)), PAYER, null, BondBook.SERVICE_END, null);
        amend(book, doubled, "more funding", LocalDate.parse("2019-06-01"));

        // the amendment is not yet in force: the result is dated by its submission and priced as structured
        book.submitAndApprove("m-1", new Measurement.TargetResult("learning", money("5")));
        assertThat(book.liveOf("m-1")).singleElement().satisfies(line -> {
            assertThat(line.payable()).isEqualByComparingTo("500.00");
            assertThat(line.termsVersion()).isEqualTo(1);
        });

        BondTerms tripled = BondBook.terms("amended-result", new PaymentMechanism.WeightedTargets(money("3000.00"),
                        List.of(new PaymentMechanism.Target("learning", money("10"), BigDecimal.ONE))),
                List.of(metric("learning", false)), PAYER, null, BondBook.SERVICE_END, null);
        book.bond.run("arranger", new ProposeAmendmentCommand(book.bondId, "v3", tripled, "price review",
                LocalDate.parse("2019-01-02")));
        book.bond.run("payer", new ConsentToAmendmentCommand(book.bondId, "v3"));
        book.bond.run("investor", new ConsentToAmendmentCommand(book.bondId, "v3"));

        refused("period-end-required", "/measurement/periodEnd", () -> book.submit("m-2",
                new Measurement.TargetResult("learning", money("6"))));
        book.submit("m-3", new Measurement.TargetResult("learning", money("6"), LocalDate.parse("2018-12-31")));
    }

    /** The arranger proposes, and the payer and the investor, both affected by a price, consent. */
    private static void amend(BondBook book, BondTerms terms, String reason, LocalDate from) {
        book.bond.run("arranger", new ProposeAmendmentCommand(book.bondId, "v2", terms, reason, from));
        book.bond.run("payer", new ConsentToAmendmentCommand(book.bondId, "v2"));
        book.bond.run("investor", new ConsentToAmendmentCommand(book.bondId, "v2"));
    }

    private static PaymentMechanism.RateCard rateCard(String price) {
        return new PaymentMechanism.RateCard(List.of(new PaymentMechanism.Price("job", new BigDecimal(price), null)), null);
    }

    private static Measurement claim(String participant, String achievedOn) {
        return new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim(participant, "job",
                LocalDate.parse(achievedOn), "payslip")));
    }

    private static void refused(String code, String pointer, Runnable action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(CommandRefusedException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            assertThat(e.violations()).extracting(CommandRefusedException.FieldViolation::pointer).containsExactly(pointer);
        });
    }
}
