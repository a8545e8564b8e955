package org.sibledger.core.bond;

import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.sibledger.core.bond.BookingPropertiesTest.Kind;
import org.sibledger.core.bond.BookingPropertiesTest.Step;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.bond.BondBook.money;

/**
 * The events a command history produces stay exactly what they were: long seeded histories of every command of a
 * bond (right and wrong actors, retried and reused idempotency keys, amendments, maturity, guarantees) on every
 * mechanism, each summed up by the hash of its last event (the chain covers every event's type, payload and audit
 * metadata, so any difference in any event changes it) and by every refusal's code. The figures were recorded
 * before the Bond was split into entities; a change to them is a change of behaviour.
 */
class SameEventsCharacterizationTest {

    /**
     * Events recorded : digest of every step's outcome, per mechanism, as recorded before the split. The rate card's
     * changed once since, on purpose: its history corrects an approved claim under dispute, which is now refused
     * (cannot-supersede) where it recorded the correction and the supersession (two events) before.
     */
    private static final Map<Kind, String> RECORDED = Map.of(
            Kind.RATE_CARD, "64:5127dd9ace41d72c",
            Kind.GRADUATED, "55:b39285f7c705e45a",
            Kind.TARGETS, "62:2ff402ee44cbf013",
            Kind.SAVINGS, "56:bce3f67adb6f473e",
            Kind.THRESHOLD, "57:3c2c44d1a3cd2baa");

    @Test
    void everyHistoryRecordsTheSameEventsAsBefore() {
        Map<Kind, String> actual = new java.util.EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            actual.put(kind, history(kind, 20261202L + kind.ordinal(), 200));
        }
        assertThat(actual).isEqualTo(RECORDED);
    }

    /**
     * The same histories on a bond held in memory between its commands, as the application's bond cache holds it:
     * its payment mechanism's running state carries over from approval to approval, and what it books must be what
     * a bond rebuilt for each command books.
     */
    @Test
    void everyHistoryRecordsTheSameEventsOnABondKeptInMemory() {
        Map<Kind, String> actual = new java.util.EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            actual.put(kind, history(kind, 20261202L + kind.ordinal(), 200, true));
        }
        assertThat(actual).isEqualTo(RECORDED);
    }

    private static String history(Kind kind, long seed, int steps) {
        return history(kind, seed, steps, false);
    }

    private static String history(Kind kind, long seed, int steps, boolean keptInMemory) {
        Random random = new Random(seed);
        String id = "same-" + kind.name().toLowerCase().replace('_', '-');
        BondHarness bond = keptInMemory ? BondHarness.keptInMemory(terms(id, kind, null))
                : new BondHarness(terms(id, kind, null));
        StringBuilder outcome = new StringBuilder();
        List<String> calls = new ArrayList<>();
        attempt(bond, outcome, "investor", new MakeCommitmentCommand(id, "investor", "senior", money("600000.00")), null);
        attempt(bond, outcome, "investor2", new MakeCommitmentCommand(id, "investor2", "guarantee", money("300000.00")), null);
        attempt(bond, outcome, "provider", new OpenCohortCommand(id, "c1", "Cohort 1", 100, BondBook.SERVICE_START), null);
        attempt(bond, outcome, "provider", new OpenCohortCommand(id, "c2", "Cohort 2", 40, BondBook.SERVICE_START), null);
        attempt(bond, outcome, "provider", new EnrolParticipantsCommand(id, "c1",
                IntStream.rangeClosed(1, 20).mapToObj(i -> "p-" + i).toList()), null);
        attempt(bond, outcome, "arranger", new OpenBondCommand(id), null);
        attempt(bond, outcome, "arranger", new CallCapitalCommand(id, "call-0", money("300000.00"),
                LocalDate.parse("2019-02-01")), null);
        calls.add("call-0");
        attempt(bond, outcome, "investor", new FundCapitalCallCommand(id, "call-0", "investor", money("200000.00")), null);
        for (int i = 0; i < steps; i++) {
            String key = random.nextInt(4) == 0 ? "k-" + random.nextInt(6) : null;
            Step step = new Step("any", null, random.nextInt(5), random.nextInt(12));
            String payer = random.nextBoolean() ? "payer" : "payer2";
            String[] anyone = {"arranger", "investor", "investor2", "payer", "payer2", "evaluator", "provider", "reviewer"};
            String someone = anyone[random.nextInt(anyone.length)];
            String investor = random.nextBoolean() ? "investor" : "investor2";
            String tranche = random.nextInt(3) == 0 ? "guarantee" : "senior";
            BigDecimal amount = money("1000.00").multiply(BigDecimal.valueOf(1 + random.nextInt(40)));
            Object command = switch (random.nextInt(26)) {
                case 0 -> new MakeCommitmentCommand(id, investor, tranche, amount);
                case 1 -> new IncreaseCommitmentCommand(id, investor, tranche, amount);
                case 2 -> new WithdrawCommitmentCommand(id, investor, tranche);
                case 3 -> new OpenBondCommand(id);
                case 4 -> {
                    calls.add("call-" + i);
                    yield new CallCapitalCommand(id, "call-" + i, amount.multiply(BigDecimal.TEN), LocalDate.parse("2019-02-01"));
                }
                case 5, 6 -> new FundCapitalCallCommand(id, calls.isEmpty() ? "none" : calls.get(random.nextInt(calls.size())),
                        investor, amount.multiply(BigDecimal.valueOf(1 + random.nextInt(8))));
                case 7 -> new DisburseFundsCommand(id, "d-" + i, "provider", amount);
                case 8 -> new DistributeCommand(id, "dist-" + i, amount, LocalDate.parse("2020-01-01").plusDays(i));
                case 9 -> new EnrolParticipantsCommand(id, random.nextBoolean() ? "c1" : "c2", List.of("q-" + i, "q-" + (i + 1)));
                case 10, 11, 12 -> new SubmitMeasurementCommand(id, "m-" + step.index(),
                        BookingPropertiesTest.measurement(kind, step), "evidence", null);
                case 13 -> new SubmitMeasurementCommand(id, "m-" + step.index() + "-fix-" + i,
                        BookingPropertiesTest.measurement(kind, step), "evidence", "m-" + step.other() % 5);
                case 14, 15, 16 -> new DecideOnMeasurementCommand(id, "m-" + step.index(), random.nextInt(3) > 0
                        ? Decision.APPROVE : Decision.values()[random.nextInt(Decision.values().length)], "reason");
                case 17 -> new ResolveDisputeCommand(id, "m-" + step.index(),
                        DisputeResolution.values()[random.nextInt(DisputeResolution.values().length)], "reason");
                case 18, 19 -> {
                    List<PayoutTriggeredEvent> live = live(bond);
                    yield new SettlePayoutCommand(id, live.isEmpty() ? "po-none" : live.get(random.nextInt(live.size())).payoutId());
                }
                case 20 -> new ProposeAmendmentCommand(id, "v-" + i, terms(id, kind,
                        money("1000.00").multiply(BigDecimal.valueOf(2 + random.nextInt(6)))), "review",
                        LocalDate.parse("2019-01-03").plusDays(random.nextInt(30)));
                case 21 -> random.nextInt(4) == 0 ? new DeclineAmendmentCommand(id, "v-" + random.nextInt(i + 1), "no")
                        : new ConsentToAmendmentCommand(id, lastProposal(bond));
                case 22 -> switch (i < steps * 4 / 5 ? 3 : random.nextInt(4)) {
                    case 0 -> new MatureBondCommand(id);
                    case 1 -> new CallGuaranteeCommand(id, LocalDate.parse("2022-06-01"));
                    case 2 -> new CloseBondCommand(id);
                    default -> new AdmitPartyCommand(id, PartyRole.INVESTOR, "investor" + (2 + random.nextInt(3)));
                };
                case 23, 24 -> new DecideOnMeasurementCommand(id, "m-" + step.index(), Decision.APPROVE, "verified");
                default -> null;
            };
            if (command == null) {
                continue;
            }
            String actor = command instanceof MakeCommitmentCommand c ? c.investorId()
                    : command instanceof IncreaseCommitmentCommand c ? c.investorId()
                    : command instanceof WithdrawCommitmentCommand c ? c.investorId()
                    : command instanceof FundCapitalCallCommand c ? c.investorId()
                    : command instanceof SubmitMeasurementCommand ? "evaluator"
                    : command instanceof DecideOnMeasurementCommand || command instanceof SettlePayoutCommand ? payer
                    : command instanceof ResolveDisputeCommand ? "reviewer"
                    : command instanceof ConsentToAmendmentCommand ? anyone[random.nextInt(5)]
                    : command instanceof EnrolParticipantsCommand ? "provider"
                    : "arranger";
            attempt(bond, outcome, random.nextInt(12) == 0 ? someone : actor, command, key);
        }
        assertThat(bond.chainIntact()).isTrue();
        return bond.history().size() + ":" + Audit.sha256(outcome.toString()).substring(0, 16);
    }

    private static void attempt(BondHarness bond, StringBuilder outcome, String actor, Object command, String key) {
        try {
            List<EventMessage<?>> events = bond.run(actor, command, key);
            outcome.append(events.size()).append(events.isEmpty() ? "" : events.get(events.size() - 1).getMetaData()
                    .get(AuditMetadata.HASH)).append('\n');
        } catch (CommandRefusedException refused) {
            outcome.append(refused.code()).append('\n');
        }
    }

    private static List<PayoutTriggeredEvent> live(BondHarness bond) {
        Map<String, PayoutTriggeredEvent> live = new LinkedHashMap<>();
        for (EventMessage<?> event : bond.history()) {
            if (event.getPayload() instanceof PayoutTriggeredEvent triggered) {
                live.put(triggered.payoutId(), triggered);
            } else if (event.getPayload() instanceof org.sibledger.contracts.payout.PayoutCancelledEvent cancelled) {
                live.remove(cancelled.payoutId());
            }
        }
        return List.copyOf(live.values());
    }

    private static String lastProposal(BondHarness bond) {
        String last = "v-none";
        for (EventMessage<?> event : bond.history()) {
            if (event.getPayload() instanceof org.sibledger.contracts.bond.AmendmentProposedEvent proposed) {
                last = proposed.proposalId();
            }
        }
        return last;
    }

    private static BondTerms terms(String id, Kind kind, BigDecimal contractCap) {
        BondTerms base = BondBook.terms(id, BookingPropertiesTest.mechanism(kind), BookingPropertiesTest.metrics(kind),
                List.of(new BondTerms.OutcomePayer("payer", money("0.6"), money("150000.00")),
                        new BondTerms.OutcomePayer("payer2", money("0.4"), null)),
                contractCap == null ? money("250000.00") : contractCap, BondBook.SERVICE_END, null);
        return new BondTerms(base.bondId(), base.name(), base.currency(), base.contractCap(), base.serviceStart(),
                base.serviceEnd(), new BondTerms.Parties("arranger", List.of("provider"), base.parties().outcomePayers(),
                List.of("evaluator"), List.of("investor", "investor2"), List.of("reviewer")), base.metrics(),
                base.paymentMechanism(), new BondTerms.InvestorTerms(List.of(
                        new BondTerms.Tranche("senior", 1, new BigDecimal("0.15")),
                        new BondTerms.Tranche("guarantee", 2, null, BondTerms.Tranche.Kind.GUARANTEE,
                                new BigDecimal("0.5"), List.of("senior")))), base.outcomesEnd());
    }
}
