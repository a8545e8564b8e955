package org.sibledger.core.bond;

import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyAdmittedEvent;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.cohort.ParticipantsEnrolledEvent;
import org.sibledger.contracts.investment.CallAllocation;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.CommitmentIncreasedEvent;
import org.sibledger.contracts.investment.CommitmentWithdrawnEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionLine;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.MeasurementSupersededEvent;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.SettlePayoutCommand;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command path of a bond's life, each refusal included, over Axon's aggregate fixture. */
class BondLifecycleTest {

    private static final String BOND = "reboot-west";
    private static final LocalDate DAY = LocalDate.parse("2019-04-01");
    /** Cohorts start, and outcomes happen, before the harness's clock (2019-01-07 onwards): never in the future. */
    private static final LocalDate COHORT_START = LocalDate.parse("2018-11-01");
    private static final LocalDate ACHIEVED = LocalDate.parse("2019-01-02");

    private BondHarness bond;

    @BeforeEach
    void structure() {
        BondTerms terms = BondParties.admit(TestTerms.rateCard(BOND), PartyRole.INVESTOR, "investor2");
        bond = new BondHarness(terms);
    }

    // ------------------------------------------------------------------ commitments and opening

    @Test
    void investorsCommitIncreaseAndWithdrawBeforeOpening() {
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("600000.00")));
        assertThat(BondHarness.payloads(bond.run("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior",
                money("150000.00"))))).containsExactly(new CommitmentIncreasedEvent(BOND, "investor", "senior",
                money("150000.00"), money("750000.00")));
        bond.run("investor2", new MakeCommitmentCommand(BOND, "investor2", "senior", money("250000.00")));
        assertThat(BondHarness.payloads(bond.run("investor2", new WithdrawCommitmentCommand(BOND, "investor2", "senior"))))
                .containsExactly(new CommitmentWithdrawnEvent(BOND, "investor2", "senior", money("250000.00")));
        assertThat(BondHarness.payloads(bond.run("arranger", new OpenBondCommand(BOND))))
                .containsExactly(new BondOpenedEvent(BOND, money("750000.00")));
    }

    @Test
    void commitmentsAreRefusedFromStrangersUnknownTranchesBadAmountsAndAfterOpening() {
        bond.refuses("payer", new MakeCommitmentCommand(BOND, "payer", "senior", money("1.00")), "not-an-investor");
        bond.refuses("investor", new MakeCommitmentCommand(BOND, "investor2", "senior", money("1.00")), "not-that-investor");
        bond.refuses("investor", new MakeCommitmentCommand(BOND, "investor", "mezzanine", money("1.00")), "unknown-tranche");
        bond.refuses("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("1.001")), "invalid-amount");
        bond.refuses("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("-5.00")), "invalid-amount");
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("100.00")));
        bond.refuses("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("1.00")), "commitment-exists");
        bond.refuses("investor", new OpenBondCommand(BOND), "not-the-arranger");
        bond.run("arranger", new OpenBondCommand(BOND));
        bond.refuses("investor2", new MakeCommitmentCommand(BOND, "investor2", "senior", money("1.00")), "commitments-closed");
        bond.refuses("investor", new WithdrawCommitmentCommand(BOND, "investor", "senior"), "bond-open");
        bond.refuses("arranger", new OpenBondCommand(BOND), "bond-open");
    }

    @Test
    void aBondWithoutCommitmentsCannotOpen() {
        bond.refuses("arranger", new OpenBondCommand(BOND), "no-commitments");
    }

    // ------------------------------------------------------------------ capital

    @Test
    void capitalCallsArePayableProRataToTheMinorUnitAndFundedByEachInvestor() {
        open("600000.00", "300000.00");
        List<EventMessage<?>> called = bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("100000.01"), DAY));
        CapitalCalledEvent event = (CapitalCalledEvent) called.get(0).getPayload();
        assertThat(event.allocations()).extracting(CallAllocation::investorId).containsExactly("investor", "investor2");
        assertThat(event.allocations().stream().map(CallAllocation::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("100000.01");
        BigDecimal investorShare = event.allocations().get(0).amount();
        assertThat(investorShare).isBetween(money("66666.67"), money("66666.68"));

        bond.refuses("investor", new FundCapitalCallCommand(BOND, "call-2", "investor", money("1.00")), "unknown-capital-call");
        bond.refuses("investor", new FundCapitalCallCommand(BOND, "call-1", "investor",
                investorShare.add(money("0.01"))), "overfunding");
        bond.refuses("investor2", new FundCapitalCallCommand(BOND, "call-1", "investor", money("1.00")), "not-that-investor");
        assertThat(BondHarness.payloads(bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor",
                investorShare)))).singleElement().isInstanceOf(CapitalCallFundedEvent.class);
        bond.refuses("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money("0.01")), "overfunding");
        bond.refuses("arranger", new CallCapitalCommand(BOND, "call-1", money("1.00"), DAY), "call-exists");
        bond.refuses("arranger", new CallCapitalCommand(BOND, "call-2",
                money("800000.00"), DAY), "call-exceeds-commitments");
        bond.inspect(b -> assertThat(b.cash()).isEqualByComparingTo(investorShare));
    }

    @Test
    void disbursementsNeverExceedTheCashHeld() {
        open("600000.00");
        bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("1000.00"), DAY));
        bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money("1000.00")));
        bond.refuses("arranger", new DisburseFundsCommand(BOND, "d-1", "provider", money("1000.01")), "insufficient-cash");
        bond.refuses("arranger", new DisburseFundsCommand(BOND, "d-1", "someone", money("1.00")), "unknown-provider");
        bond.run("arranger", new DisburseFundsCommand(BOND, "d-1", "provider", money("1000.00")));
        bond.refuses("arranger", new DisburseFundsCommand(BOND, "d-1", "provider", money("1.00")), "disbursement-exists");
        bond.inspect(b -> {
            assertThat(b.moneyIn()).isEqualByComparingTo("1000.00");
            assertThat(b.moneyOut()).isEqualByComparingTo("1000.00");
            assertThat(b.cash()).isZero();
        });
    }

    @Test
    void settledOutcomePaymentsAreDistributedThroughTheWaterfallWithinTheCashHeld() {
        open("600000.00", "300000.00");
        bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("9000.00"), DAY));
        bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money("6000.00")));
        bond.run("investor2", new FundCapitalCallCommand(BOND, "call-1", "investor2", money("3000.00")));
        bond.refuses("arranger", new DistributeCommand(BOND, "dist-1", money("9000.01"), DAY.plusYears(1)), "insufficient-cash");
        bond.refuses("investor", new DistributeCommand(BOND, "dist-1", money("1.00"), DAY.plusYears(1)), "not-the-arranger");
        DistributionMadeEvent made = (DistributionMadeEvent) bond.run("arranger",
                new DistributeCommand(BOND, "dist-1", money("4500.00"), DAY.plusYears(1))).get(0).getPayload();
        // senior principal first, pro rata to funded principal: 3000.00 and 1500.00
        assertThat(made.lines()).extracting(DistributionLine::investorId, DistributionLine::principal)
                .containsExactly(org.assertj.core.api.Assertions.tuple("investor", money("3000.00")),
                        org.assertj.core.api.Assertions.tuple("investor2", money("1500.00")));
        assertThat(made.lines().stream().map(l -> l.principal().add(l.investorReturn())).reduce(BigDecimal.ZERO, BigDecimal::add)
                .add(made.excess())).isEqualByComparingTo("4500.00");
        bond.refuses("arranger", new DistributeCommand(BOND, "dist-1", money("1.00"), DAY.plusYears(1)), "distribution-exists");
        bond.inspect(b -> assertThat(b.cash()).isEqualByComparingTo("4500.00"));
    }

    @Test
    void atMaturityAGuaranteeCoversItsShareOfTheUnrepaidPrincipalOnce() {
        // Rikers-style: a philanthropic guarantee of 75% of the senior principal
        BondTerms base = bondTerms();
        BondTerms guaranteed = new BondTerms("rikers", "Rikers", "USD", null, base.serviceStart(), base.serviceEnd(),
                base.parties(), base.metrics(), base.paymentMechanism(), new BondTerms.InvestorTerms(List.of(
                new BondTerms.Tranche("senior", 1, null),
                new BondTerms.Tranche("guarantee", 2, null, BondTerms.Tranche.Kind.GUARANTEE, new BigDecimal("0.75"),
                        List.of("senior")))));
        BondHarness rikers = new BondHarness(guaranteed);
        rikers.run("investor", new MakeCommitmentCommand("rikers", "investor", "senior", money("9600000.00")));
        rikers.run("investor2", new MakeCommitmentCommand("rikers", "investor2", "guarantee", money("7200000.00")));
        rikers.run("arranger", new OpenBondCommand("rikers"));
        CapitalCalledEvent called = (CapitalCalledEvent) rikers.run("arranger",
                new CallCapitalCommand("rikers", "call-1", money("9600000.00"), DAY)).get(0).getPayload();
        assertThat(called.allocations()).extracting(CallAllocation::investorId).containsExactly("investor");
        rikers.run("investor", new FundCapitalCallCommand("rikers", "call-1", "investor", money("9600000.00")));
        rikers.run("arranger", new DisburseFundsCommand("rikers", "d-1", "provider", money("9600000.00")));
        rikers.refuses("arranger", new CallGuaranteeCommand("rikers", DAY.plusYears(3)), "bond-open");
        rikers.run("arranger", new MatureBondCommand("rikers"));
        GuaranteeCalledEvent call = (GuaranteeCalledEvent) rikers.run("arranger",
                new CallGuaranteeCommand("rikers", DAY.plusYears(3))).get(0).getPayload();
        assertThat(call.payments()).singleElement().satisfies(p -> {
            assertThat(p.guarantorId()).isEqualTo("investor2");
            assertThat(p.investorId()).isEqualTo("investor");
            assertThat(p.amount()).isEqualByComparingTo("7200000.00");
        });
        assertThat(call.uncovered()).isEqualByComparingTo("2400000.00");
        rikers.refuses("arranger", new CallGuaranteeCommand("rikers", DAY.plusYears(3)), "guarantee-called");
        rikers.inspect(b -> {
            assertThat(b.cash()).isZero();
            assertThat(b.moneyIn()).isEqualByComparingTo("16800000.00");
        });
    }

    // ------------------------------------------------------------------ cohorts

    @Test
    void providersEnrolPseudonymousParticipantsIntoCohortsWithRoom() {
        open("600000.00");
        bond.refuses("investor", new OpenCohortCommand(BOND, "c1", "Cohort 1", 2, COHORT_START), "not-arranger-or-provider");
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort 1", 2, COHORT_START));
        bond.refuses("arranger", new OpenCohortCommand(BOND, "c1", "Again", 2, COHORT_START), "cohort-exists");
        bond.refuses("arranger", new EnrolParticipantsCommand(BOND, "c1", List.of("p-1")), "not-a-service-provider");
        bond.refuses("provider", new EnrolParticipantsCommand(BOND, "c9", List.of("p-1")), "unknown-cohort");
        bond.refuses("provider", new EnrolParticipantsCommand(BOND, "c1", List.of("jane@example.org")), "not-pseudonymous");
        bond.refuses("provider", new EnrolParticipantsCommand(BOND, "c1", List.of("p-1", "p-2", "p-3")), "cohort-full");
        assertThat(BondHarness.payloads(bond.run("provider", new EnrolParticipantsCommand(BOND, "c1", List.of("p-1", "p-2")))))
                .containsExactly(new ParticipantsEnrolledEvent(BOND, "c1", List.of("p-1", "p-2")));
        bond.refuses("provider", new EnrolParticipantsCommand(BOND, "c1", List.of("p-1")), "already-enrolled");
    }

    // ------------------------------------------------------------------ measurements, decisions, payouts

    @Test
    void anApprovedClaimTriggersItsPayoutOnceAndThePayerSettlesIt() {
        enrolled("p-1", "p-2");
        bond.run("evaluator", claims("m-1", "p-1"));
        // what the payer sees before deciding is what the approval books, and seeing it records nothing
        int before = bond.history().size();
        bond.inspect(b -> assertThat(b.previewApproval("m-1", java.time.LocalDate.parse("2019-06-01")))
                .extracting(org.sibledger.core.mechanism.DuePayout::payable).containsExactly(money("2750.00")));
        bond.inspect(b -> assertThat(b.previewApproval("m-none", java.time.LocalDate.parse("2019-06-01"))).isEmpty());
        assertThat(bond.history()).hasSize(before);
        List<EventMessage<?>> decided = bond.run("payer", approve("m-1"), "approve-m-1");
        assertThat(decided.get(0).getPayload()).isEqualTo(new MeasurementApprovedEvent(BOND, "m-1", "payer", "verified"));
        PayoutTriggeredEvent payout = (PayoutTriggeredEvent) decided.get(1).getPayload();
        assertThat(payout.payable()).isEqualByComparingTo("2750.00");
        assertThat(payout.measurementId()).isEqualTo("m-1");
        assertThat(payout.payerId()).isEqualTo("payer");
        assertThat(decided).hasSize(2);
        // the fingerprint a retry under the same key is compared with is kept beside the key, and only there
        assertThat(decided).allSatisfy(event -> assertThat(event.getMetaData()).containsKey(Audit.COMMAND_FINGERPRINT));

        // the same command retried under its key records nothing; another command under that key is refused
        assertThat(bond.run("payer", approve("m-1"), "approve-m-1")).isEmpty();
        bond.refuses("payer", new DecideOnMeasurementCommand(BOND, "m-1",
                Decision.REJECT, "no"), "approve-m-1", "idempotency-key-reused");
        bond.refuses("payer", approve("m-1"), "approve-again", "already-decided");
        // keys are scoped to who sent them: another principal's "approve-m-1" is its own, and decided on its merits
        bond.refuses("investor", approve("m-1"), "approve-m-1", "not-an-outcome-payer");

        bond.refuses("investor", new SettlePayoutCommand(BOND, payout.payoutId()), "not-an-outcome-payer");
        bond.refuses("payer", new SettlePayoutCommand(BOND, "po-none"), "unknown-payout");
        List<EventMessage<?>> settled = bond.run("payer", new SettlePayoutCommand(BOND, payout.payoutId()));
        assertThat(BondHarness.payloads(settled))
                .containsExactly(new PayoutSettledEvent(BOND, payout.payoutId(), "payer", money("2750.00")));
        assertThat(settled.get(0).getMetaData()).doesNotContainKey(Audit.COMMAND_FINGERPRINT);
        bond.refuses("payer", new SettlePayoutCommand(BOND, payout.payoutId()), "payout-not-payable");
        bond.inspect(b -> assertThat(b.moneyIn()).isEqualByComparingTo("2750.00"));
        assertThat(bond.chainIntact()).isTrue();
    }

    @Test
    void measurementsAreRefusedWhenOutOfOrderOrFromTheWrongParty() {
        bond.refuses("evaluator", new SubmitMeasurementCommand(BOND, "m-0",
                new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim("p-1", "earns-768", ACHIEVED, "ev"))), "ev", null), "bond-structured");
        enrolled("p-1");
        bond.refuses("payer", claims("m-1", "p-1"), "not-an-evaluator");
        bond.refuses("evaluator", claims("m-1", "p-404"), "unknown-participant");
        // the refusal names the mechanism and the kind it takes as the terms document does, not by a type of the code
        org.assertj.core.api.Assertions.assertThat(bond.refuses("evaluator", new SubmitMeasurementCommand(BOND, "m-1",
                new Measurement.TargetResult("earns-768", BigDecimal.ONE), "ev", null), "wrong-measurement-kind").getMessage())
                .isEqualTo("A TARGET_RESULT measurement does not fit this bond's payment mechanism, RATE_CARD, which takes"
                        + " OUTCOME_CLAIMS measurements");
        bond.refuses("evaluator", new SubmitMeasurementCommand(BOND, "m-1",
                new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim("p-1", "flies", ACHIEVED, "ev"))), "ev", null), "unknown-metric");
        bond.refuses("evaluator", new SubmitMeasurementCommand(BOND, "m-1",
                new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim("p-1", "earns-768", ACHIEVED, "ev"))), " ", null), "missing-field");
        bond.run("evaluator", claims("m-1", "p-1"));
        bond.refuses("evaluator", claims("m-1", "p-1"), "measurement-exists");
        bond.refuses("payer", approve("m-404"), "unknown-measurement");
        bond.refuses("evaluator", approve("m-1"), "not-an-outcome-payer");
        bond.refuses("payer", new DecideOnMeasurementCommand(BOND, "m-1", Decision.REJECT, null), "missing-field");
    }

    @Test
    void whoSubmittedAMeasurementCanNeverDecideOnIt() {
        enrolled("p-1");
        BondTerms terms = TestTerms.rateCard(BOND);
        bond.run("arranger", new AdmitPartyCommand(BOND, PartyRole.EVALUATOR, "payer"));
        bond.run("payer", claims("m-1", "p-1"));
        bond.refuses("payer", approve("m-1"), "own-measurement");
        assertThat(terms.parties().outcomePayers()).extracting(BondTerms.OutcomePayer::id).containsExactly("payer");
    }

    @Test
    void aPendingMeasurementCanBeSupersededButNeverPays() {
        enrolled("p-1", "p-2");
        bond.run("evaluator", claims("m-1", "p-1"));
        List<EventMessage<?>> corrected = bond.run("evaluator", new SubmitMeasurementCommand(BOND, "m-2",
                ((SubmitMeasurementCommand) claims("m-2", "p-2")).measurement(), "ev-2", "m-1"));
        assertThat(BondHarness.payloads(corrected)).element(1).isEqualTo(new MeasurementSupersededEvent(BOND, "m-1", "m-2"));
        bond.refuses("payer", approve("m-1"), "already-decided");
        bond.run("payer", approve("m-2"));
        bond.refuses("evaluator", new SubmitMeasurementCommand(BOND, "m-3",
                ((SubmitMeasurementCommand) claims("m-3", "p-2")).measurement(), "ev-3", "m-2"), "cannot-supersede");
    }

    @Test
    void aRejectedMeasurementNeverPays() {
        enrolled("p-1");
        bond.run("evaluator", claims("m-1", "p-1"));
        assertThat(BondHarness.payloads(bond.run("payer", new DecideOnMeasurementCommand(BOND, "m-1", Decision.REJECT,
                "evidence missing")))).containsExactly(new MeasurementRejectedEvent(BOND, "m-1", "payer", "evidence missing"));
        bond.refuses("payer", approve("m-1"), "already-decided");
    }

    @Test
    void aDisputeHoldsPayoutsUntilResolvedAndARejectionCancelsThem() {
        enrolled("p-1", "p-2");
        bond.run("evaluator", claims("m-1", "p-1"));
        PayoutTriggeredEvent payout = (PayoutTriggeredEvent) bond.run("payer", approve("m-1")).get(1).getPayload();
        assertThat(BondHarness.payloads(bond.run("payer", new DecideOnMeasurementCommand(BOND, "m-1", Decision.DISPUTE,
                "the participant left the programme")))).singleElement().isInstanceOf(MeasurementDisputedEvent.class);
        bond.refuses("payer", new SettlePayoutCommand(BOND, payout.payoutId()), "payout-not-payable");
        List<EventMessage<?>> resolved = bond.run("reviewer", new ResolveDisputeCommand(BOND, "m-1", DisputeResolution.REJECT,
                "confirmed: not eligible"));
        assertThat(BondHarness.payloads(resolved)).element(1).isEqualTo(new PayoutCancelledEvent(BOND, payout.payoutId(),
                "measurement 'm-1' rejected on dispute: confirmed: not eligible"));
        bond.refuses("reviewer", new ResolveDisputeCommand(BOND, "m-1", DisputeResolution.UPHOLD, "x"), "not-disputed");

        // a dispute upheld before approval approves, and pays
        bond.run("evaluator", claims("m-2", "p-2"));
        bond.run("payer", new DecideOnMeasurementCommand(BOND, "m-2", Decision.DISPUTE, "check the date"));
        List<EventMessage<?>> upheld = bond.run("reviewer", new ResolveDisputeCommand(BOND, "m-2", DisputeResolution.UPHOLD, "date checked"));
        assertThat(BondHarness.payloads(upheld)).hasSize(3).element(2).isInstanceOf(PayoutTriggeredEvent.class);
    }

    @Test
    void aSettledPayoutsMeasurementCannotBeDisputed() {
        enrolled("p-1");
        bond.run("evaluator", claims("m-1", "p-1"));
        PayoutTriggeredEvent payout = (PayoutTriggeredEvent) bond.run("payer", approve("m-1")).get(1).getPayload();
        bond.run("payer", new SettlePayoutCommand(BOND, payout.payoutId()));
        bond.refuses("payer", new DecideOnMeasurementCommand(BOND, "m-1", Decision.DISPUTE, "late doubt"), "payout-settled");
    }

    // ------------------------------------------------------------------ terms, parties, maturity

    @Test
    void theArrangerAdmitsParties() {
        assertThat(BondHarness.payloads(bond.run("arranger", new AdmitPartyCommand(BOND, PartyRole.INVESTOR, "investor3"))))
                .containsExactly(new PartyAdmittedEvent(BOND, PartyRole.INVESTOR, "investor3"));
        bond.run("investor3", new MakeCommitmentCommand(BOND, "investor3", "senior", money("10.00")));
        bond.refuses("arranger", new AdmitPartyCommand(BOND, PartyRole.INVESTOR, "investor3"), "already-a-party");
        bond.refuses("arranger", new AdmitPartyCommand(BOND, PartyRole.INVESTOR, "Not Valid"), "invalid-party");
    }

    @Test
    void aBondClosesOnlyWhenMaturedSettledAndEmpty() {
        enrolled("p-1");
        bond.run("evaluator", claims("m-1", "p-1"));
        PayoutTriggeredEvent payout = (PayoutTriggeredEvent) bond.run("payer", approve("m-1")).get(1).getPayload();
        bond.refuses("arranger", new CloseBondCommand(BOND), "bond-open");
        bond.run("arranger", new MatureBondCommand(BOND));
        bond.refuses("evaluator", claims("m-2", "p-1"), "bond-matured");
        bond.refuses("arranger", new CloseBondCommand(BOND), "payouts-unsettled");
        bond.run("payer", new SettlePayoutCommand(BOND, payout.payoutId()));
        bond.refuses("arranger", new CloseBondCommand(BOND), "cash-held");
        bond.run("arranger", new DisburseFundsCommand(BOND, "d-1", "provider", money("2750.00")));
        bond.run("arranger", new CloseBondCommand(BOND));
        bond.refuses("arranger", new MatureBondCommand(BOND), "bond-closed");
        assertThat(bond.chainIntact()).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private BondTerms bondTerms() {
        return BondParties.admit(TestTerms.rateCard(BOND), PartyRole.INVESTOR, "investor2");
    }

    private void open(String... commitments) {
        String[] investors = {"investor", "investor2"};
        for (int i = 0; i < commitments.length; i++) {
            bond.run(investors[i], new MakeCommitmentCommand(BOND, investors[i], "senior", money(commitments[i])));
        }
        bond.run("arranger", new OpenBondCommand(BOND));
    }

    private void enrolled(String... participants) {
        open("600000.00");
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort 1", 100, COHORT_START));
        bond.run("provider", new EnrolParticipantsCommand(BOND, "c1", List.of(participants)));
    }

    private static Object claims(String measurementId, String participant) {
        return new SubmitMeasurementCommand(BOND, measurementId, new Measurement.OutcomeClaims(List.of(
                new Measurement.OutcomeClaim(participant, "earns-768", ACHIEVED, "payslip-" + participant))), "ev-" + measurementId, null);
    }

    private static DecideOnMeasurementCommand approve(String measurementId) {
        return new DecideOnMeasurementCommand(BOND, measurementId, Decision.APPROVE, "verified");
    }

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }
}
