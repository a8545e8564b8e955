package org.sibledger.core.bond;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeTry;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.FundsDisbursedEvent;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.SettlePayoutCommand;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariants under arbitrary sequences of commands, valid or not, some retried under the same idempotency key:
 * money is conserved to the minor unit at every event and cash never goes negative; no payout comes from an
 * unapproved measurement; every approval triggers its payouts exactly once; the hash chain holds; and the
 * aggregate's state survives the JSON its snapshots are stored in.
 */
class BondInvariantsTest {

    private static final String BOND = "invariants";
    private static final LocalDate DAY = LocalDate.parse("2019-04-01");
    private static final ObjectMapper SNAPSHOT_JSON = ContractsJson.newMapper();

    private BondHarness bond;

    @BeforeTry
    void openBondWithCohort() {
        bond = new BondHarness(BondParties.admit(TestTerms.rateCard(BOND), PartyRole.INVESTOR, "investor2"));
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", new BigDecimal("500000.00")));
        bond.run("investor2", new MakeCommitmentCommand(BOND, "investor2", "senior", new BigDecimal("250000.00")));
        bond.run("arranger", new OpenBondCommand(BOND));
        bond.run("provider", new OpenCohortCommand(BOND, "c1", "Cohort", 50, LocalDate.parse("2018-11-01")));
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            refs.add("p-" + i);
        }
        bond.run("provider", new EnrolParticipantsCommand(BOND, "c1", refs));
    }

    @Property(tries = 30)
    void invariantsHoldAfterAnySequence(@ForAll("steps") List<Step> steps) throws Exception {
        for (Step step : steps) {
            try {
                bond.run(step.actor(), step.command(), step.key());
            } catch (CommandRefusedException refusedIsFine) {
                // refusals record nothing; the invariants below are about what was recorded
            }
        }
        BigDecimal in = BigDecimal.ZERO;
        BigDecimal out = BigDecimal.ZERO;
        Set<String> approved = new HashSet<>();
        Set<String> payoutIds = new HashSet<>();
        for (var event : bond.history()) {
            Object payload = event.getPayload();
            if (payload instanceof CapitalCallFundedEvent funded) {
                in = in.add(funded.amount());
            } else if (payload instanceof PayoutSettledEvent settled) {
                in = in.add(settled.amount());
            } else if (payload instanceof FundsDisbursedEvent disbursed) {
                out = out.add(disbursed.amount());
            } else if (payload instanceof DistributionMadeEvent distributed) {
                BigDecimal parts = distributed.lines().stream().map(l -> l.principal().add(l.investorReturn()))
                        .reduce(distributed.excess(), BigDecimal::add);
                assertThat(parts).as("a distribution's parts add up to it").isEqualByComparingTo(distributed.amount());
                out = out.add(distributed.amount());
            } else if (payload instanceof MeasurementApprovedEvent approval) {
                assertThat(approved.add(approval.measurementId())).as("approved once: " + approval.measurementId()).isTrue();
            } else if (payload instanceof PayoutTriggeredEvent payout) {
                assertThat(approved).as("payout only after approval").contains(payout.measurementId());
                assertThat(payoutIds.add(payout.payoutId())).as("payout triggered once").isTrue();
                assertThat(payout.payable().add(payout.capped())).isEqualByComparingTo(payout.gross());
            }
            assertThat(in.subtract(out).signum()).as("cash never negative").isGreaterThanOrEqualTo(0);
        }
        BigDecimal moneyIn = in;
        BigDecimal moneyOut = out;
        bond.inspect(b -> {
            assertThat(b.moneyIn()).isEqualByComparingTo(moneyIn);
            assertThat(b.moneyOut()).isEqualByComparingTo(moneyOut);
            assertThat(b.cash()).isEqualByComparingTo(moneyIn.subtract(moneyOut));
            try {
                String json = SNAPSHOT_JSON.writeValueAsString(b);
                Bond restored = SNAPSHOT_JSON.readValue(json, Bond.class);
                assertThat(SNAPSHOT_JSON.writeValueAsString(restored)).isEqualTo(json);
                assertThat(restored.cash()).isEqualByComparingTo(b.cash());
            } catch (Exception e) {
                throw new AssertionError("snapshot state does not round-trip", e);
            }
        });
        assertThat(bond.chainIntact()).isTrue();
    }

    record Step(String actor, Object command, String key) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 5);
        Arbitrary<BigDecimal> amount = Arbitraries.bigDecimals().between(new BigDecimal("0.01"), new BigDecimal("60000"))
                .ofScale(2);
        Arbitrary<Step> call = Combinators.combine(index, amount).as((i, a) ->
                new Step("arranger", new CallCapitalCommand(BOND, "call-" + i, a, DAY), null));
        Arbitrary<Step> fund = Combinators.combine(index, amount, Arbitraries.of("investor", "investor2")).as((i, a, who) ->
                new Step(who, new FundCapitalCallCommand(BOND, "call-" + i, who, a), null));
        Arbitrary<Step> disburse = Combinators.combine(index, amount).as((i, a) ->
                new Step("arranger", new DisburseFundsCommand(BOND, "d-" + i, "provider", a), null));
        Arbitrary<Step> submit = Combinators.combine(index, Arbitraries.integers().between(0, 19)).as((i, p) ->
                new Step("evaluator", new SubmitMeasurementCommand(BOND, "m-" + i, new Measurement.OutcomeClaims(List.of(
                        new Measurement.OutcomeClaim("p-" + p, "earns-768", LocalDate.parse("2019-01-02"), "ev"))), "ev-" + i, null), null));
        Arbitrary<Step> decide = Combinators.combine(index, Arbitraries.of(Decision.values()), Arbitraries.of("k1", "k2", null))
                .as((i, d, key) -> new Step("payer", new DecideOnMeasurementCommand(BOND, "m-" + i, d, "because"),
                        key == null ? null : key + "-" + i));
        Arbitrary<Step> distribute = Combinators.combine(index, amount).as((i, a) ->
                new Step("arranger", new DistributeCommand(BOND, "dist-" + i, a, DAY.plusYears(1)), null));
        Arbitrary<Step> settle = index.map(i -> new Step("payer", new SettlePayoutCommand(BOND, "po-" + i), null));
        return Arbitraries.oneOf(call, fund, fund, disburse, distribute, submit, decide, decide, settle).list().ofMinSize(5).ofMaxSize(25);
    }
}
