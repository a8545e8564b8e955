package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.AmendmentConsentedEvent;
import org.sibledger.contracts.bond.AmendmentDeclinedEvent;
import org.sibledger.contracts.bond.AmendmentProposedEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.bond.BondBook.metric;
import static org.sibledger.core.bond.BondBook.money;

/**
 * Each party acts only for itself (DOMAIN.md): a variation takes effect only when every outcome payer and every
 * affected investor has consented by its own command, and a dispute is resolved by the bond's independent reviewer,
 * never by who raised it nor by who submitted the measurement.
 */
class ConsentAndReviewTest {

    private static final LocalDate FROM = LocalDate.parse("2019-01-03");
    private static final List<BondTerms.OutcomePayer> TWO_PAYERS = List.of(
            new BondTerms.OutcomePayer("payer", money("0.5"), null), new BondTerms.OutcomePayer("payer2", money("0.5"), null));

    private final BondBook book = BondBook.open("consent", rateCard("100.00"), List.of(metric("job", true)), TWO_PAYERS,
            null);

    @Test
    void aVariationTakesEffectOnlyWhenEveryPayerAndAffectedInvestorConsentsForItself() {
        BondTerms hundredfold = terms(rateCard("10000.00"), List.of("investor"));

        AmendmentProposedEvent proposed = (AmendmentProposedEvent) book.bond.run("arranger",
                new ProposeAmendmentCommand("consent", "v2", hundredfold, "price review", FROM)).get(0).getPayload();
        assertThat(proposed.consentNeededFrom()).containsExactly("payer", "payer2", "investor");
        assertThat(proposed.currentTerms().paymentMechanism()).isEqualTo(rateCard("100.00"));

        // nobody consents for another, and consent given once is given
        book.bond.refuses("arranger", new ConsentToAmendmentCommand("consent", "v2"), "consent-not-needed");
        book.bond.refuses("evaluator", new ConsentToAmendmentCommand("consent", "v2"), "consent-not-needed");
        assertThat(BondHarness.payloads(book.bond.run("payer", new ConsentToAmendmentCommand("consent", "v2"))))
                .containsExactly(new AmendmentConsentedEvent("consent", "v2", "payer"));
        book.bond.refuses("payer", new ConsentToAmendmentCommand("consent", "v2"), "already-consented");
        book.bond.run("payer2", new ConsentToAmendmentCommand("consent", "v2"));
        assertThat(terms(book)).isEqualTo(rateCard("100.00"));

        List<Object> last = BondHarness.payloads(book.bond.run("investor", new ConsentToAmendmentCommand("consent", "v2")));

        assertThat(last).hasSize(2).element(1).isInstanceOfSatisfying(TermsAmendedEvent.class, amended ->
                assertThat(amended.consentedBy()).containsExactly("payer", "payer2", "investor"));
        assertThat(terms(book)).isEqualTo(rateCard("10000.00"));
    }

    @Test
    void aDeclineEndsTheProposalAndNothingChanges() {
        book.bond.run("arranger", new ProposeAmendmentCommand("consent", "v2", terms(rateCard("10000.00"),
                List.of("investor")), "price review", FROM));
        book.bond.run("payer", new ConsentToAmendmentCommand("consent", "v2"));
        book.bond.refuses("arranger", new ProposeAmendmentCommand("consent", "v3",
                terms(rateCard("1.00"), List.of("investor")), "another", FROM), "amendment-pending");
        book.bond.refuses("arranger", new AdmitPartyCommand("consent", PartyRole.INVESTOR, "investor2"), "amendment-pending");

        assertThat(BondHarness.payloads(book.bond.run("payer2", new DeclineAmendmentCommand("consent", "v2", "too dear"))))
                .containsExactly(new AmendmentDeclinedEvent("consent", "v2", "payer2", "too dear"));

        book.bond.refuses("investor", new ConsentToAmendmentCommand("consent", "v2"), "unknown-proposal");
        book.bond.refuses("arranger", new ProposeAmendmentCommand("consent", "v2",
                terms(rateCard("1.00"), List.of("investor")), "again", FROM), "proposal-exists");
        assertThat(terms(book)).isEqualTo(rateCard("100.00"));
    }

    @Test
    void droppingAnInvestorNeedsThatInvestorsConsentEvenWhenNoMoneyTermChanges() {
        BondTerms withoutInvestor = terms(rateCard("100.00"), List.of());

        AmendmentProposedEvent proposed = (AmendmentProposedEvent) book.bond.run("arranger",
                new ProposeAmendmentCommand("consent", "v2", withoutInvestor, "tidy up", FROM)).get(0).getPayload();

        assertThat(proposed.consentNeededFrom()).containsExactly("payer", "payer2", "investor");
        book.bond.refuses("payer", new ProposeAmendmentCommand("consent", "v3",
                withoutInvestor, "x", FROM), "not-the-arranger");
    }

    /**
     * An investor named in the terms but holding no position when the variation was proposed is not asked; it may not
     * then take a position the variation would reprice without its consent (it could otherwise commit and have its
     * return changed by the others' consent). A variation that pays no one differently leaves it free to commit.
     */
    @Test
    void anInvestorWhoseConsentWasNotAskedTakesNoPositionAVariationWouldReprice() {
        List<String> both = List.of("investor", "investor2");
        BondHarness structured = new BondHarness(terms(rateCard("100.00"), both));
        structured.run("investor", new MakeCommitmentCommand("consent", "investor", "senior", money("1000.00")));
        AmendmentProposedEvent proposed = (AmendmentProposedEvent) structured.run("arranger",
                new ProposeAmendmentCommand("consent", "v2", terms(rateCard("10000.00"), both), "price review", FROM))
                .get(0).getPayload();
        assertThat(proposed.consentNeededFrom()).containsExactly("payer", "payer2", "investor");

        structured.refuses("investor2", new MakeCommitmentCommand("consent", "investor2", "senior", money("500.00")),
                "amendment-pending");
        // the one whose consent is asked still adds to its position: it decides on the variation for it
        structured.run("investor", new IncreaseCommitmentCommand("consent", "investor", "senior", money("10.00")));
        structured.run("payer2", new DeclineAmendmentCommand("consent", "v2", "too dear"));
        structured.run("investor2", new MakeCommitmentCommand("consent", "investor2", "senior", money("500.00")));

        // a variation of nobody's money (a new evaluator) does not hold commitments back
        BondHarness other = new BondHarness(terms(rateCard("100.00"), both));
        BondTerms base = terms(rateCard("100.00"), both);
        BondTerms.Parties p = base.parties();
        BondTerms withEvaluator = new BondTerms(base.bondId(), base.name(), base.currency(), base.contractCap(),
                base.serviceStart(), base.serviceEnd(), new BondTerms.Parties(p.arranger(), p.serviceProviders(),
                p.outcomePayers(), List.of("evaluator", "evaluator2"), p.investors(), p.reviewers()), base.metrics(),
                base.paymentMechanism(), base.investorTerms(), base.outcomesEnd());
        other.run("arranger", new ProposeAmendmentCommand("consent", "v2", withEvaluator, "second evaluator", FROM));
        other.run("investor2", new MakeCommitmentCommand("consent", "investor2", "senior", money("500.00")));
    }

    @Test
    void onlyTheReviewerResolvesADisputeAndNeverTheOneWhoRaisedIt() {
        book.submitAndApprove("m-1", claim());
        book.bond.run("payer", new DecideOnMeasurementCommand("consent", "m-1", Decision.DISPUTE, "doubt"));

        book.bond.refuses("payer", new ResolveDisputeCommand("consent", "m-1",
                DisputeResolution.REJECT, "I raised it"), "not-a-reviewer");
        book.bond.refuses("payer2", new ResolveDisputeCommand("consent", "m-1",
                DisputeResolution.REJECT, "I pay too"), "not-a-reviewer");
        book.bond.refuses("evaluator", new ResolveDisputeCommand("consent", "m-1",
                DisputeResolution.UPHOLD, "I measured it"), "not-a-reviewer");
        book.bond.run("reviewer", new ResolveDisputeCommand("consent", "m-1", DisputeResolution.UPHOLD, "evidence holds"));

        // the arranger alone never names who judges the payers' disputes: a reviewer comes by a variation they consent to
        book.bond.refuses("arranger", new AdmitPartyCommand("consent", PartyRole.REVIEWER, "arranger"),
                "reviewer-by-variation");
        book.bond.refuses("arranger", new AdmitPartyCommand("consent", PartyRole.REVIEWER, "reviewer2"),
                "reviewer-by-variation");

        // a payer who is also named reviewer still never resolves its own dispute
        nameReviewer("payer2");
        book.submitAndApprove("m-2", claim());
        book.bond.run("payer2", new DecideOnMeasurementCommand("consent", "m-2", Decision.DISPUTE, "doubt"));
        book.bond.refuses("payer2", new ResolveDisputeCommand("consent", "m-2",
                DisputeResolution.REJECT, "mine"), "own-dispute");

        // nor does an evaluator named reviewer resolve a dispute over what it submitted
        nameReviewer("evaluator");
        book.submitAndApprove("m-3", claim("p-3"));
        book.bond.run("payer", new DecideOnMeasurementCommand("consent", "m-3", Decision.DISPUTE, "doubt"));
        book.bond.refuses("evaluator", new ResolveDisputeCommand("consent", "m-3",
                DisputeResolution.UPHOLD, "I measured it"), "own-measurement");
        book.bond.run("reviewer", new ResolveDisputeCommand("consent", "m-3", DisputeResolution.UPHOLD, "holds"));
    }

    @Test
    void eachPayerDecidesForItsOwnShare() {
        book.submit("m-1", claim());

        book.approve("m-1");
        assertThat(book.live().values()).extracting(p -> p.payerId() + " " + p.payable().toPlainString())
                .containsExactly("payer 50.00");
        book.bond.refuses("payer", new DecideOnMeasurementCommand("consent", "m-1", Decision.APPROVE, "verified"),
                "already-decided");

        book.bond.run("payer2", new DecideOnMeasurementCommand("consent", "m-1", Decision.APPROVE, "verified too"));
        assertThat(book.live().values()).extracting(p -> p.payerId() + " " + p.payable().toPlainString())
                .containsExactly("payer 50.00", "payer2 50.00");

        // a payer that rejects its share leaves the other's standing
        book.submit("m-2", claim("p-2"));
        book.bond.run("payer2", new DecideOnMeasurementCommand("consent", "m-2", Decision.REJECT, "not for us"));
        book.approve("m-2");
        assertThat(book.liveOf("m-2")).extracting(p -> p.payerId() + " " + p.payable().toPlainString())
                .containsExactly("payer 50.00");
        book.bond.refuses("payer2", new DecideOnMeasurementCommand("consent", "m-2",
                Decision.APPROVE, "changed my mind"), "already-decided");
    }

    @Test
    void aResultTheReviewerRejectedCannotBeApprovedByAPayerThatHadNotDecided() {
        book.submit("m-1", claim());
        book.approve("m-1");
        book.bond.run("payer", new DecideOnMeasurementCommand("consent", "m-1", Decision.DISPUTE, "doubt"));
        book.bond.run("reviewer", new ResolveDisputeCommand("consent", "m-1", DisputeResolution.REJECT, "invalid"));

        book.bond.refuses("payer2", new DecideOnMeasurementCommand("consent", "m-1",
                Decision.APPROVE, "my share"), "already-decided");
        assertThat(book.booked()).isEqualByComparingTo("0.00");
    }

    @Test
    void aLeadPayerNamedInTheTermsDecidesForAll() {
        BondBook led = BondBook.open("led", rateCard("100.00"), List.of(metric("job", true)), List.of(
                new BondTerms.OutcomePayer("payer", money("0.5"), null, true),
                new BondTerms.OutcomePayer("payer2", money("0.5"), null)), null);
        led.submit("m-1", claim());

        led.bond.refuses("payer2", new DecideOnMeasurementCommand("led", "m-1",
                Decision.APPROVE, "me too"), "lead-payer-decides");
        led.approve("m-1");

        assertThat(led.live().values()).extracting(p -> p.payerId() + " " + p.payable().toPlainString())
                .containsExactly("payer 50.00", "payer2 50.00");
    }

    private static PaymentMechanism.RateCard rateCard(String price) {
        return new PaymentMechanism.RateCard(List.of(new PaymentMechanism.Price("job", new BigDecimal(price), null)), null);
    }

    private static BondTerms terms(PaymentMechanism mechanism, List<String> investors) {
        BondTerms base = BondBook.terms("consent", mechanism, List.of(metric("job", true)), TWO_PAYERS, null,
                BondBook.SERVICE_END, null);
        BondTerms.Parties p = base.parties();
        return new BondTerms(base.bondId(), base.name(), base.currency(), base.contractCap(), base.serviceStart(),
                base.serviceEnd(), new BondTerms.Parties(p.arranger(), p.serviceProviders(), p.outcomePayers(),
                p.evaluators(), investors, p.reviewers()), base.metrics(), base.paymentMechanism(), base.investorTerms(),
                base.outcomesEnd());
    }

    /** Names one more reviewer by a variation, to which both payers consent (the investor's money is not touched). */
    private void nameReviewer(String reviewer) {
        BondTerms[] current = new BondTerms[1];
        book.bond.inspect(bond -> current[0] = bond.currentTerms());
        BondTerms.Parties p = current[0].parties();
        List<String> reviewers = new java.util.ArrayList<>(p.reviewers());
        reviewers.add(reviewer);
        BondTerms named = new BondTerms(current[0].bondId(), current[0].name(), current[0].currency(),
                current[0].contractCap(), current[0].serviceStart(), current[0].serviceEnd(),
                new BondTerms.Parties(p.arranger(), p.serviceProviders(), p.outcomePayers(), p.evaluators(),
                        p.investors(), reviewers), current[0].metrics(), current[0].paymentMechanism(),
                current[0].investorTerms(), current[0].outcomesEnd());
        String id = "reviewer-" + reviewer;
        AmendmentProposedEvent proposed = (AmendmentProposedEvent) book.bond.run("arranger",
                new ProposeAmendmentCommand("consent", id, named, "name " + reviewer + " reviewer", FROM)).get(0).getPayload();
        assertThat(proposed.consentNeededFrom()).containsExactly("payer", "payer2");
        book.bond.run("payer", new ConsentToAmendmentCommand("consent", id));
        book.bond.run("payer2", new ConsentToAmendmentCommand("consent", id));
    }

    private static PaymentMechanism terms(BondBook book) {
        PaymentMechanism[] current = new PaymentMechanism[1];
        book.bond.inspect(bond -> current[0] = bond.currentTerms().paymentMechanism());
        return current[0];
    }

    private static Measurement claim() {
        return claim("p-1");
    }

    private static Measurement claim(String participant) {
        return new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim(participant, "job",
                LocalDate.parse("2019-01-02"), "payslip")));
    }
}
