package org.sibledger.core.bond;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.eventhandling.EventMessage;
import org.sibledger.contracts.bond.BondMaturedEvent;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.cohort.CohortOpenedEvent;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.sibledger.core.mechanism.ApprovedMeasurement;
import org.sibledger.core.mechanism.DuePayout;
import org.sibledger.core.mechanism.PaymentMechanisms;
import org.sibledger.core.mechanism.PricingFacts;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.bond.BondBook.metric;
import static org.sibledger.core.bond.BondBook.money;

/**
 * Random histories of submissions, corrections, approvals, rejections, disputes upheld and overturned, settlements
 * and maturity, on every mechanism, two payers with a commitment cap and a contract cap, each deciding for its own
 * share. After every step, read from the events alone: for each measurement, metric, cohort, participant and payer
 * not under dispute, what is booked and live (payable and capped) equals that payer's share of the entitlement of
 * everything approved for it now, through the caps; no payout is
 * triggered, cancelled or settled twice; no payer's live payouts pass its cap, nor all together the contract cap.
 */
class BookingPropertiesTest {

    enum Kind { RATE_CARD, GRADUATED, TARGETS, SAVINGS, THRESHOLD }

    record Step(String name, Object argument, int index, int other) {
    }

    @Property(tries = 60)
    void whatIsBookedIsAlwaysTheEntitlementOfWhatIsApproved(@ForAll Kind kind, @ForAll("histories") List<Step> steps) {
        BondBook book = BondBook.open("booking-" + kind.name().toLowerCase().replace('_', '-'), mechanism(kind),
                metrics(kind), List.of(new BondTerms.OutcomePayer("payer", money("0.6"), money("1200.00")),
                        new BondTerms.OutcomePayer("payer2", money("0.4"), null)), money("2500.00"));
        book.bond.run("provider", new org.sibledger.contracts.cohort.OpenCohortCommand(book.bondId, "c2", "Cohort 2",
                40, BondBook.SERVICE_START));
        for (Step step : steps) {
            try {
                run(book, kind, step);
            } catch (CommandRefusedException refusedIsFine) {
                // a refusal records nothing; what was recorded must still balance
            }
            check(book);
        }
    }

    private static void run(BondBook book, Kind kind, Step step) {
        String id = "m-" + step.index();
        switch (step.name()) {
            case "submit" -> book.submit(id, measurement(kind, step));
            case "correct" -> book.bond.run("evaluator", new SubmitMeasurementCommand(book.bondId, id + "-fix-" + step.other(),
                    measurement(kind, step), "evidence", "m-" + step.other()));
            case "decide" -> book.bond.run(step.other() % 2 == 0 ? "payer" : "payer2",
                    new DecideOnMeasurementCommand(book.bondId, id, (Decision) step.argument(), "reason"));
            case "resolve" -> book.bond.run("reviewer", new ResolveDisputeCommand(book.bondId, id,
                    (DisputeResolution) step.argument(), "reason"));
            case "contest" -> {
                book.bond.run("payer2", new DecideOnMeasurementCommand(book.bondId, id, Decision.DISPUTE, "doubted"));
                check(book);
                book.bond.run("reviewer", new ResolveDisputeCommand(book.bondId, id, (DisputeResolution) step.argument(),
                        "reason"));
            }
            case "settle" -> {
                List<PayoutTriggeredEvent> open = book.live().values().stream()
                        .filter(p -> p.payable().signum() > 0).toList();
                if (!open.isEmpty()) {
                    PayoutTriggeredEvent payout = open.get(step.index() % open.size());
                    book.bond.run(payout.payerId(), new SettlePayoutCommand(book.bondId, payout.payoutId()));
                }
            }
            case "mature" -> book.bond.run("arranger", new MatureBondCommand(book.bondId));
            default -> throw new IllegalArgumentException(step.name());
        }
    }

    private static void check(BondBook book) {
        BondTerms terms = null;
        Map<String, Integer> cohorts = new HashMap<>();
        Map<String, Measurement> submitted = new HashMap<>();
        Map<String, LocalDate> approvedOn = new LinkedHashMap<>();
        Map<String, Set<String>> approvedFor = new HashMap<>();
        Set<String> disputed = new HashSet<>();
        Set<String> triggered = new HashSet<>();
        Set<String> ended = new HashSet<>();
        Map<String, PayoutTriggeredEvent> live = new LinkedHashMap<>();
        boolean matured = false;
        for (EventMessage<?> event : book.bond.history()) {
            Object payload = event.getPayload();
            if (payload instanceof BondStructuredEvent structured) {
                terms = structured.terms();
            } else if (payload instanceof CohortOpenedEvent cohort) {
                cohorts.put(cohort.cohortId(), cohort.size());
            } else if (payload instanceof MeasurementSubmittedEvent m) {
                submitted.put(m.measurementId(), m.measurement());
            } else if (payload instanceof MeasurementApprovedEvent approval) {
                approvedOn.putIfAbsent(approval.measurementId(), LocalDate.parse(
                        String.valueOf(event.getMetaData().get("occurredAt")).substring(0, 10)));
                // two payers, no lead: each approval is for the approving payer's share alone
                approvedFor.computeIfAbsent(approval.measurementId(), id -> new HashSet<>()).add(approval.payerId());
            } else if (payload instanceof MeasurementDisputedEvent dispute) {
                disputed.add(dispute.measurementId());
            } else if (payload instanceof DisputeResolvedEvent resolved) {
                disputed.remove(resolved.measurementId());
                if (resolved.resolution() == DisputeResolution.REJECT) {
                    approvedOn.remove(resolved.measurementId());
                    approvedFor.remove(resolved.measurementId());
                }
            } else if (payload instanceof BondMaturedEvent) {
                matured = true;
            } else if (payload instanceof PayoutTriggeredEvent payout) {
                assertThat(triggered.add(payout.payoutId())).as("triggered once: " + payout.payoutId()).isTrue();
                assertThat(payout.payable().add(payout.capped())).isEqualByComparingTo(payout.gross());
                live.put(payout.payoutId(), payout);
            } else if (payload instanceof PayoutCancelledEvent cancelled) {
                assertThat(ended.add(cancelled.payoutId())).as("cancelled or settled once").isTrue();
                assertThat(live.remove(cancelled.payoutId())).as("only a live payout is cancelled").isNotNull();
            } else if (payload instanceof PayoutSettledEvent settled) {
                assertThat(ended.add(settled.payoutId())).as("settled or cancelled once").isTrue();
                assertThat(live).containsKey(settled.payoutId());
                assertThat(settled.amount()).isEqualByComparingTo(live.get(settled.payoutId()).payable());
            }
        }
        List<DuePayout> entitled = new ArrayList<>();
        for (String payer : List.of("payer", "payer2")) {
            List<ApprovedMeasurement> approved = new ArrayList<>();
            approvedOn.forEach((id, on) -> {
                if (approvedFor.get(id).contains(payer)) {
                    approved.add(new ApprovedMeasurement(id, submitted.get(id), on));
                }
            });
            PaymentMechanisms.entitlement(terms, new PricingFacts(cohorts, BigDecimal.ZERO, matured), approved).stream()
                    .filter(line -> line.payerId().equals(payer)).forEach(entitled::add);
        }

        Map<String, BigDecimal[]> units = new LinkedHashMap<>();
        for (DuePayout line : entitled) {
            if (line.measurementId() == null || !disputed.contains(line.measurementId())) {
                add(units, unit(line.measurementId(), line.metric(), line.cohortId(), line.participantRef(), line.payerId()),
                        line.payable(), line.capped(), 0);
            }
        }
        for (PayoutTriggeredEvent line : live.values()) {
            if (line.measurementId() == null || !disputed.contains(line.measurementId())) {
                add(units, unit(line.measurementId(), line.metric(), line.cohortId(), line.participantRef(), line.payerId()),
                        line.payable(), line.capped(), 2);
            }
        }
        // a credit is only what was settled above what is due: beside it, no unsettled line of the unit is left
        Map<String, List<PayoutTriggeredEvent>> byUnit = new HashMap<>();
        live.values().forEach(line -> byUnit.computeIfAbsent(unit(line.measurementId(), line.metric(), line.cohortId(),
                line.participantRef(), line.payerId()), u -> new ArrayList<>()).add(line));
        byUnit.forEach((unit, lines) -> {
            if (lines.stream().anyMatch(line -> line.payable().signum() < 0)) {
                assertThat(lines).as("credit beside unsettled lines in " + unit)
                        .allMatch(line -> line.payable().signum() < 0 || ended.contains(line.payoutId()));
            }
        });
        units.forEach((unit, sums) -> {
            assertThat(sums[2]).as("booked payable of " + unit).isEqualByComparingTo(sums[0]);
            assertThat(sums[3]).as("booked capped of " + unit).isEqualByComparingTo(sums[1]);
        });
        if (disputed.isEmpty()) {
            BigDecimal payer = sum(live.values(), "payer");
            BigDecimal all = payer.add(sum(live.values(), "payer2"));
            assertThat(payer).as("payer's cap").isLessThanOrEqualTo(money("1200.00"));
            assertThat(all).as("contract cap").isLessThanOrEqualTo(money("2500.00"));
        }
    }

    private static BigDecimal sum(java.util.Collection<PayoutTriggeredEvent> lines, String payer) {
        return lines.stream().filter(p -> p.payerId().equals(payer)).map(PayoutTriggeredEvent::payable)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void add(Map<String, BigDecimal[]> units, String unit, BigDecimal payable, BigDecimal capped, int at) {
        BigDecimal[] sums = units.computeIfAbsent(unit, u -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO});
        sums[at] = sums[at].add(payable);
        sums[at + 1] = sums[at + 1].add(capped);
    }

    private static String unit(String... parts) {
        return String.join("|", java.util.Arrays.stream(parts).map(p -> Objects.toString(p, "~")).toList());
    }

    static PaymentMechanism mechanism(Kind kind) {
        return switch (kind) {
            case RATE_CARD -> new PaymentMechanism.RateCard(List.of(
                    new PaymentMechanism.Price("job", money("300.00"), money("1500.00")),
                    new PaymentMechanism.Price("visit", money("125.50"), null)), money("500.00"));
            case GRADUATED -> new PaymentMechanism.Graduated("rate", List.of(
                    new PaymentMechanism.GraduatedTier(money("0.1"), money("1000.00")),
                    new PaymentMechanism.GraduatedTier(money("0.4"), money("1500.00")),
                    new PaymentMechanism.GraduatedTier(money("0.7"), money("3000.00"))));
            case TARGETS -> new PaymentMechanism.WeightedTargets(money("2000.00"), List.of(
                    new PaymentMechanism.Target("learning", money("10"), money("0.7")),
                    new PaymentMechanism.Target("enrolment", money("0.9"), money("0.3"))));
            case SAVINGS -> new PaymentMechanism.SavingsShare("savings", null, null, null, List.of(
                    new PaymentMechanism.SavingsTier(money("1000.00"), money("0.5")),
                    new PaymentMechanism.SavingsTier(null, BigDecimal.ONE)), money("2200.00"));
            case THRESHOLD -> new PaymentMechanism.ThresholdVsComparison("reconvictions", true, money("0.10"),
                    money("0.075"), money("7.00"), money("100"), null);
        };
    }

    static List<BondTerms.Metric> metrics(Kind kind) {
        return switch (kind) {
            case RATE_CARD -> List.of(metric("job", false), metric("visit", true));
            case GRADUATED -> List.of(metric("rate", false));
            case TARGETS -> List.of(metric("learning", false), metric("enrolment", false));
            case SAVINGS -> List.of(metric("savings", false));
            case THRESHOLD -> List.of(metric("reconvictions", false));
        };
    }

    /** A measurement of the bond's kind, from the step's numbers: few distinct values, so results collide often. */
    static Measurement measurement(Kind kind, Step step) {
        int a = step.other();
        int b = step.index();
        return switch (kind) {
            case RATE_CARD -> new Measurement.OutcomeClaims(List.of(
                    new Measurement.OutcomeClaim("p-" + (1 + a % 3), a % 2 == 0 ? "job" : "visit",
                            LocalDate.parse("2019-01-01").plusDays(b % 3), "ev"),
                    new Measurement.OutcomeClaim("p-" + (1 + b % 3), "visit", LocalDate.parse("2019-01-01").plusDays(a % 2), "ev")));
            case GRADUATED -> new Measurement.TargetResult("rate", money("0.05").add(money("0.2").multiply(BigDecimal.valueOf(a % 4))));
            case TARGETS -> a % 2 == 0
                    ? new Measurement.TargetResult("learning", BigDecimal.valueOf(3L * (b % 5)))
                    : new Measurement.TargetResult("enrolment", money("0.3").multiply(BigDecimal.valueOf(b % 4)));
            case SAVINGS -> new Measurement.Savings(money("400.00").multiply(BigDecimal.valueOf(1 + a % 4)), "y" + (b % 3));
            case THRESHOLD -> new Measurement.CohortResult(a % 2 == 0 ? "c1" : "c2", "reconvictions", "y" + (b % 2),
                    BigDecimal.valueOf(70 + 7L * (a % 5)), money("100"));
        };
    }

    /** Submissions first, then decisions, disputes, corrections and settlements, maturity perhaps, then more. */
    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> other = Arbitraries.integers().between(0, 11);
        Arbitrary<Step> submit = Combinators.combine(index, other).as((i, o) -> new Step("submit", null, i, o));
        Arbitrary<Step> correct = Combinators.combine(index, other).as((i, o) -> new Step("correct", null, i, o % 5));
        Arbitrary<Step> decide = Combinators.combine(index, Arbitraries.of(Decision.values()), other)
                .as((i, d, o) -> new Step("decide", d, i, o));
        Arbitrary<Step> approve = Combinators.combine(index, other).as((i, o) -> new Step("decide", Decision.APPROVE, i, o));
        Arbitrary<Step> dispute = Combinators.combine(index, other).as((i, o) -> new Step("decide", Decision.DISPUTE, i, o));
        Arbitrary<Step> resolve = Combinators.combine(index, Arbitraries.of(DisputeResolution.values()))
                .as((i, r) -> new Step("resolve", r, i, 0));
        Arbitrary<Step> settle = index.map(i -> new Step("settle", null, i, 0));
        Arbitrary<Step> contest = Combinators.combine(index, Arbitraries.of(DisputeResolution.values()))
                .as((i, r) -> new Step("contest", r, i, 0));
        Arbitrary<Step> mixed = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, submit), net.jqwik.api.Tuple.of(1, correct), net.jqwik.api.Tuple.of(6, approve),
                net.jqwik.api.Tuple.of(1, decide), net.jqwik.api.Tuple.of(3, dispute), net.jqwik.api.Tuple.of(4, resolve),
                net.jqwik.api.Tuple.of(3, settle),
                net.jqwik.api.Tuple.of(4, contest));
        Arbitrary<List<Step>> maturity = Arbitraries.of(List.<Step>of(), List.of(new Step("mature", null, 0, 0)));
        return Combinators.combine(submit.list().ofMinSize(3).ofMaxSize(6), mixed.list().ofMinSize(5).ofMaxSize(25),
                maturity, Arbitraries.oneOf(dispute, resolve, settle, contest).list().ofMaxSize(6)).as((first, then, end, after) -> {
                    List<Step> all = new ArrayList<>(first);
                    all.addAll(then);
                    all.addAll(end);
                    all.addAll(after);
                    return all;
                });
    }
}
