package org.sibledger.core.bond;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.axonframework.eventhandling.EventMessage;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fuzz of bounded-but-extreme numbers, dates and counts over every command that carries one, on bonds of every
 * payment mechanism whose own terms are drawn from the same extremes: whatever the bond accepts and records, payouts
 * and distributions it derives included, fits the read models' columns. The narrowest {@code NUMERIC(p, s)} column
 * is read from the projections' migrations, so a column made narrower fails this test; dates must be ISO 8601
 * years 1 to 9999, which a {@code DATE} column takes through JDBC. A refused command records nothing (the harness
 * checks), and nothing but a refusal may be thrown.
 */
class StorableEventsPropertyTest {

    private static final String BOND = "extremes";
    private static final LocalDate DAY = LocalDate.parse("2019-04-01");
    private static final Path MIGRATIONS = Path.of("..", "projections", "src", "main", "resources", "db", "migration");
    private static final int COLUMN_INTEGER_DIGITS = narrowestNumericIntegerDigits();
    private static final LocalDate FIRST_STORABLE = LocalDate.of(1, 1, 1);
    private static final LocalDate LAST_STORABLE = LocalDate.of(9999, 12, 31);

    enum Kind { RATE_CARD, THRESHOLD, WEIGHTED_TARGETS, SAVINGS_SHARE, GRADUATED }

    record Step(String actor, Object command) {
    }

    record Scenario(Kind kind, BondTerms terms, BigDecimal commitment, int cohortSize, List<Step> steps) {
        @Override
        public String toString() {
            return kind + " " + terms.paymentMechanism() + " cap " + terms.contractCap() + ", committed " + commitment
                    + ", cohort of " + cohortSize + ", " + steps;
        }
    }

    @Property(tries = 200)
    void everythingRecordedFitsTheReadModels(@ForAll("scenarios") Scenario scenario) {
        BondHarness bond;
        try {
            bond = new BondHarness(scenario.terms());
            Statistics.label("terms").collect("drawn terms accepted");
        } catch (CommandRefusedException refused) {
            bond = new BondHarness(sane(scenario.terms().paymentMechanism()));
            Statistics.label("terms").collect("refused, sane terms instead");
        }
        attempt(bond, "investor", new MakeCommitmentCommand(BOND, "investor", "senior", scenario.commitment()));
        attempt(bond, "investor", new MakeCommitmentCommand(BOND, "investor", "senior", new BigDecimal("1000000.00")));
        attempt(bond, "arranger", new OpenBondCommand(BOND));
        attempt(bond, "provider", new OpenCohortCommand(BOND, "c1", "Cohort", scenario.cohortSize(), DAY));
        attempt(bond, "provider", new OpenCohortCommand(BOND, "c1", "Cohort", 10, DAY));
        attempt(bond, "provider", new EnrolParticipantsCommand(BOND, "c1", List.of("p-1", "p-2", "p-3")));
        int accepted = 0;
        for (Step step : scenario.steps()) {
            accepted += attempt(bond, step.actor(), step.command()) ? 1 : 0;
        }
        Statistics.label("accepted steps").collect(accepted == 0 ? "none" : accepted < 5 ? "1-4" : "5+");
        long payouts = bond.history().stream().filter(e -> e.getPayload() instanceof PayoutTriggeredEvent).count();
        Statistics.label("payouts").collect(scenario.kind(), payouts == 0 ? "none" : "some");

        List<String> unstorable = new ArrayList<>();
        for (EventMessage<?> event : bond.history()) {
            Object payload = event.getPayload();
            unstorable(payload, payload.getClass().getSimpleName(), unstorable);
            if (payload instanceof MeasurementSubmittedEvent submitted
                    && submitted.measurement() instanceof Measurement.CohortResult result) {
                // the performance read model stores the improvement, treated / comparison - 1
                BigDecimal ratio = result.treated().divide(result.comparison(), MathContext.DECIMAL64);
                if (integerDigits(ratio.subtract(BigDecimal.ONE)) > COLUMN_INTEGER_DIGITS) {
                    unstorable.add("improvement of " + result + " = " + ratio);
                }
            }
        }
        assertThat(unstorable).as("values recorded that NUMERIC(" + (COLUMN_INTEGER_DIGITS + 10)
                + ", 10) or DATE columns cannot store").isEmpty();
    }

    /** Runs a command; true when recorded, false when refused. Any other exception fails the property. */
    private static boolean attempt(BondHarness bond, String actor, Object command) {
        int before = bond.history().size();
        try {
            bond.run(actor, command);
            return true;
        } catch (CommandRefusedException refused) {
            assertThat(bond.history()).hasSize(before);
            return false;
        }
    }

    // ------------------------------------------------------------------ the columns

    /** The fewest integer digits (precision - scale) of any NUMERIC column of the read models. */
    private static int narrowestNumericIntegerDigits() {
        Pattern numeric = Pattern.compile("NUMERIC\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)", Pattern.CASE_INSENSITIVE);
        int narrowest = Integer.MAX_VALUE;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                Matcher m = numeric.matcher(Files.readString(file));
                while (m.find()) {
                    narrowest = Math.min(narrowest, Integer.parseInt(m.group(1)) - Integer.parseInt(m.group(2)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the read models' migrations are read from " + MIGRATIONS.toAbsolutePath(), e);
        }
        if (narrowest == Integer.MAX_VALUE) {
            throw new IllegalStateException("no NUMERIC column found in " + MIGRATIONS.toAbsolutePath());
        }
        return narrowest;
    }

    /** Walks an event's records, lists and maps for decimals and dates a column cannot hold. */
    private static void unstorable(Object value, String path, List<String> out) {
        if (value == null || value instanceof String || value instanceof Enum<?> || value instanceof Boolean) {
            return;
        }
        if (value instanceof BigDecimal decimal) {
            if (integerDigits(decimal) > COLUMN_INTEGER_DIGITS) {
                out.add(path + " = " + decimal);
            }
        } else if (value instanceof LocalDate date) {
            if (date.isBefore(FIRST_STORABLE) || date.isAfter(LAST_STORABLE)) {
                out.add(path + " = " + date);
            }
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unstorable(item, path + "/" + i++, out);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unstorable(v, path + "/" + k, out));
        } else if (value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    unstorable(component.getAccessor().invoke(value), path + "/" + component.getName(), out);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static long integerDigits(BigDecimal value) {
        return value.signum() == 0 ? 0 : Math.max(0L, (long) value.precision() - value.scale());
    }

    // ------------------------------------------------------------------ the extremes

    /**
     * Decimals at and around every limit, far beyond them, tiny, negative and in exponent form; half of them within
     * the limits but large (money up to 15 integer digits, figures up to 15 integer digits and 10 decimals), since
     * what is accepted is what the read models must store.
     */
    static Arbitrary<BigDecimal> extreme() {
        Arbitrary<BigDecimal> edges = Arbitraries.of("999999999999999.99", "1000000000000000.00",
                "999999999999999.9999999999", "1000000000000000", "0.0000000001", "0.00000000001", "1E+999999999",
                "1E-999999999", "1234567890123456789012345678901234567890", "99999999999999999999.9999999999", "0.01",
                "1", "0.5", "0", "-1", "-999999999999999.99").map(BigDecimal::new);
        Arbitrary<BigDecimal> scaled = Combinators.combine(Arbitraries.longs().between(1, 999_999_999_999_999L),
                Arbitraries.integers().between(-30, 14)).as(BigDecimal::valueOf);
        Arbitrary<BigDecimal> powers = Combinators.combine(Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(-1, 1)).as((k, d) -> BigDecimal.TEN.pow(k).add(BigDecimal.valueOf(d, 2)));
        Arbitrary<BigDecimal> largeMoney = Arbitraries.longs().between(1, 99_999_999_999_999_999L)
                .map(cents -> BigDecimal.valueOf(cents, 2));
        Arbitrary<BigDecimal> largeFigure = Combinators.combine(Arbitraries.longs().between(1, 999_999_999_999_999L),
                Arbitraries.integers().between(0, 10)).as(BigDecimal::valueOf);
        return Arbitraries.frequencyOf(Tuple.of(2, edges), Tuple.of(1, scaled), Tuple.of(1, powers),
                Tuple.of(3, largeMoney), Tuple.of(1, largeFigure));
    }

    /** An extreme value one time in three, else an ordinary one: terms with every figure extreme are always refused. */
    static Arbitrary<BigDecimal> sometimesExtreme(String ordinary) {
        return Arbitraries.frequencyOf(Tuple.of(1, extreme()), Tuple.of(2, Arbitraries.just(new BigDecimal(ordinary))));
    }

    static Arbitrary<LocalDate> extremeDate() {
        Arbitrary<LocalDate> edges = Arbitraries.of(LocalDate.MIN, LocalDate.MAX, LocalDate.of(1999, 12, 31),
                LocalDate.of(2000, 1, 1), LocalDate.of(2100, 12, 31), LocalDate.of(2101, 1, 1), DAY);
        Arbitrary<LocalDate> anyYear = Arbitraries.integers().between(-999_999_999, 999_999_999)
                .map(year -> LocalDate.of(year, 6, 15));
        Arbitrary<LocalDate> nearby = Arbitraries.integers().between(1990, 2110).map(year -> LocalDate.of(year, 1, 1));
        return Arbitraries.oneOf(edges, anyYear, nearby);
    }

    static Arbitrary<Integer> extremeCount() {
        return Arbitraries.oneOf(Arbitraries.of(0, 1, -1, 10_000_000, 10_000_001, Integer.MAX_VALUE, Integer.MIN_VALUE),
                Arbitraries.integers(), Arbitraries.integers().between(1, 10_000_000));
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.of(Kind.values()).flatMap(kind -> Combinators.combine(terms(kind), extreme(),
                extremeCount(), steps(kind).list().ofMinSize(3).ofMaxSize(12)).as(
                (terms, commitment, size, steps) -> new Scenario(kind, terms, commitment, size,
                        steps.stream().flatMap(List::stream).toList())));
    }

    /** Terms of the mechanism with some of its figures (and the contract cap and service end) extreme. */
    private static Arbitrary<BondTerms> terms(Kind kind) {
        Arbitrary<PaymentMechanism> mechanism = switch (kind) {
            case RATE_CARD -> Combinators.combine(sometimesExtreme("2750.00"), extreme()).as((price, cap) ->
                    new PaymentMechanism.RateCard(List.of(new PaymentMechanism.Price("earns-768", price, cap)), null));
            case THRESHOLD -> Combinators.combine(sometimesExtreme("1000.00"), sometimesExtreme("1"),
                    Arbitraries.of(true, false), Arbitraries.oneOf(extreme(), Arbitraries.just(null))).as(
                    (price, scale, lower, cap) -> new PaymentMechanism.ThresholdVsComparison("earns-768", lower,
                            new BigDecimal("0.10"), new BigDecimal("0.075"), price, scale, cap));
            case WEIGHTED_TARGETS -> Combinators.combine(sometimesExtreme("422000.00"), sometimesExtreme("10")).as(
                    (max, target) -> new PaymentMechanism.WeightedTargets(max, List.of(
                            new PaymentMechanism.Target("earns-768", target, BigDecimal.ONE))));
            case SAVINGS_SHARE -> Combinators.combine(sometimesExtreme("0.5"), sometimesExtreme("0.1"),
                    sometimesExtreme("0.05")).as((until, after, rate) ->
                    new PaymentMechanism.SavingsShare("earns-768", until, after, rate, List.of(), null));
            case GRADUATED -> Combinators.combine(sometimesExtreme("1"), sometimesExtreme("1000000000"),
                    sometimesExtreme("1000.00"), sometimesExtreme("2000.00")).as((low, high, pay, morePay) ->
                    new PaymentMechanism.Graduated("earns-768", List.of(new PaymentMechanism.GraduatedTier(low, pay),
                            new PaymentMechanism.GraduatedTier(high, morePay))));
        };
        return Combinators.combine(mechanism, Arbitraries.oneOf(extreme(), Arbitraries.just(null)),
                Arbitraries.oneOf(extremeDate(), Arbitraries.just(LocalDate.parse("2022-03-31")))).as(
                (m, cap, end) -> withMechanism(TestTerms.rateCard(BOND), m, cap, end));
    }

    private static BondTerms sane(PaymentMechanism like) {
        BigDecimal thousand = new BigDecimal("1000.00");
        PaymentMechanism mechanism;
        if (like instanceof PaymentMechanism.ThresholdVsComparison t) {
            mechanism = new PaymentMechanism.ThresholdVsComparison("earns-768", t.lowerIsBetter(), new BigDecimal("0.10"),
                    new BigDecimal("0.075"), thousand, BigDecimal.ONE, null);
        } else if (like instanceof PaymentMechanism.WeightedTargets) {
            mechanism = new PaymentMechanism.WeightedTargets(thousand, List.of(
                    new PaymentMechanism.Target("earns-768", BigDecimal.TEN, BigDecimal.ONE)));
        } else if (like instanceof PaymentMechanism.SavingsShare) {
            mechanism = new PaymentMechanism.SavingsShare("earns-768", new BigDecimal("0.5"), new BigDecimal("0.1"),
                    new BigDecimal("0.05"), List.of(), null);
        } else if (like instanceof PaymentMechanism.Graduated) {
            mechanism = new PaymentMechanism.Graduated("earns-768", List.of(
                    new PaymentMechanism.GraduatedTier(BigDecimal.ONE, thousand),
                    new PaymentMechanism.GraduatedTier(BigDecimal.TEN, thousand.add(thousand))));
        } else {
            return TestTerms.rateCard(BOND);
        }
        return withMechanism(TestTerms.rateCard(BOND), mechanism, null, LocalDate.parse("2022-03-31"));
    }

    private static BondTerms withMechanism(BondTerms base, PaymentMechanism mechanism, BigDecimal contractCap,
                                           LocalDate serviceEnd) {
        BondTerms.Parties p = base.parties();
        // no payer cap, so that nothing but the drawn figures bounds what is paid
        BondTerms.Parties parties = new BondTerms.Parties(p.arranger(), p.serviceProviders(),
                List.of(new BondTerms.OutcomePayer("payer", BigDecimal.ONE, null)), p.evaluators(), p.investors());
        return new BondTerms(BOND, base.name(), base.currency(), contractCap, base.serviceStart(), serviceEnd, parties,
                base.metrics(), mechanism, base.investorTerms());
    }

    /** Commands carrying extreme values, and the approvals and maturity that derive payouts from them. */
    private static Arbitrary<List<Step>> steps(Kind kind) {
        Arbitrary<Integer> i = Arbitraries.integers().between(0, 3);
        Arbitrary<BigDecimal> x = extreme();
        Arbitrary<LocalDate> d = extremeDate();
        Arbitrary<Step> increase = x.map(a -> new Step("investor", new IncreaseCommitmentCommand(BOND, "investor", "senior", a)));
        Arbitrary<Step> call = Combinators.combine(i, x, d).as((n, a, due) ->
                new Step("arranger", new CallCapitalCommand(BOND, "call-" + n, a, due)));
        Arbitrary<Step> fund = Combinators.combine(i, x).as((n, a) ->
                new Step("investor", new FundCapitalCallCommand(BOND, "call-" + n, "investor", a)));
        Arbitrary<Step> disburse = Combinators.combine(i, x).as((n, a) ->
                new Step("arranger", new DisburseFundsCommand(BOND, "d-" + n, "provider", a)));
        Arbitrary<Step> distribute = Combinators.combine(i, x, d).as((n, a, on) ->
                new Step("arranger", new DistributeCommand(BOND, "dist-" + n, a, on)));
        Arbitrary<Step> cohort = Combinators.combine(i, extremeCount(), d).as((n, size, start) ->
                new Step("provider", new OpenCohortCommand(BOND, "c-" + n, "Cohort", size, start)));
        // a variation may reprice what was submitted or approved before it
        // proposed, then consented to by the payer and the investor, so that it takes effect
        Arbitrary<List<Step>> amend = Combinators.combine(terms(kind), Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(DAY)),
                Tuple.of(1, d)), Arbitraries.integers().between(0, 999)).as((terms, from, n) -> List.of(
                new Step("arranger", new ProposeAmendmentCommand(BOND, "v-" + n, terms, "variation", from)),
                new Step("payer", new ConsentToAmendmentCommand(BOND, "v-" + n)),
                new Step("investor", new ConsentToAmendmentCommand(BOND, "v-" + n))));
        Arbitrary<Measurement> measurement = switch (kind) {
            case RATE_CARD -> Combinators.combine(Arbitraries.integers().between(1, 3), d).as((p, on) ->
                    new Measurement.OutcomeClaims(List.of(new Measurement.OutcomeClaim("p-" + p, "earns-768", on, "ev"))));
            case THRESHOLD -> Combinators.combine(Arbitraries.of("c1", "c-0", "c-1"), x, x).as((c, treated, comparison) ->
                    new Measurement.CohortResult(c, "earns-768", "2019", treated, comparison));
            case WEIGHTED_TARGETS, GRADUATED -> x.map(achieved -> new Measurement.TargetResult("earns-768", achieved));
            case SAVINGS_SHARE -> Combinators.combine(x, Arbitraries.of("2019", "2020", "2021")).as(Measurement.Savings::new);
        };
        Arbitrary<Step> submit = Combinators.combine(i, measurement).as((n, m) ->
                new Step("evaluator", new SubmitMeasurementCommand(BOND, "m-" + n, m, "ev", null)));
        Arbitrary<Step> approve = i.map(n -> new Step("payer",
                new DecideOnMeasurementCommand(BOND, "m-" + n, Decision.APPROVE, "verified")));
        // a submission approved at once, so that what it is priced at is recorded as payouts
        Arbitrary<List<Step>> submitAndApprove = Combinators.combine(i, measurement).as((n, m) -> List.of(
                new Step("evaluator", new SubmitMeasurementCommand(BOND, "m-" + n, m, "ev", null)),
                new Step("payer", new DecideOnMeasurementCommand(BOND, "m-" + n, Decision.APPROVE, "verified"))));
        Arbitrary<Step> mature = Arbitraries.just(new Step("arranger", new MatureBondCommand(BOND)));
        Arbitrary<Step> guarantee = d.map(on -> new Step("arranger", new CallGuaranteeCommand(BOND, on)));
        return Arbitraries.frequencyOf(
                Tuple.of(1, increase.map(List::of)), Tuple.of(2, call.map(List::of)), Tuple.of(2, fund.map(List::of)),
                Tuple.of(1, disburse.map(List::of)), Tuple.of(2, distribute.map(List::of)),
                Tuple.of(1, cohort.map(List::of)), Tuple.of(2, amend), Tuple.of(2, submit.map(List::of)),
                Tuple.of(1, approve.map(List::of)), Tuple.of(6, submitAndApprove), Tuple.of(1, mature.map(List::of)),
                Tuple.of(1, guarantee.map(List::of)));
    }
}
