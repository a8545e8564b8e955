package org.sibledger.core.mechanism;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.measurement.Measurement;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sibledger.core.mechanism.TestBonds.dec;

/**
 * Properties every payment mechanism keeps, whatever the claims, caps, payers and arrival order: no cap is ever
 * exceeded; the order and batching of claims never change booked totals (where caps do not compete for the same
 * claim); the lines ever due add up to the booked cumulative total; the payer split never creates or loses a minor
 * unit; a replay gives the same lines under the same keys.
 */
class PaymentMechanismPropertiesTest {

    private static final int TRIES = 200;
    private static final List<String> METRICS = List.of("m0", "m1", "m2");
    private static final PricingFacts NO_FACTS = new PricingFacts(Map.of(), BigDecimal.ZERO, false);

    // ------------------------------------------------------------------ rate card

    @Property(tries = TRIES)
    void noCapIsEverExceeded(@ForAll("rateCards") BondTerms terms, @ForAll("claimSets") List<Measurement.OutcomeClaim> claims,
                             @ForAll long seed) {
        List<DuePayout> lines = play(terms, arrival(claims, seed)).lines();
        PaymentMechanism.RateCard card = (PaymentMechanism.RateCard) terms.paymentMechanism();

        assertWellFormed(lines);
        if (card.perParticipantCap() != null) {
            sum(lines, DuePayout::participantRef).values()
                    .forEach(paid -> assertThat(paid).isLessThanOrEqualTo(card.perParticipantCap()));
        }
        Map<String, BigDecimal> perMetric = sum(lines, DuePayout::metric);
        for (PaymentMechanism.Price price : card.prices()) {
            if (price.metricCap() != null) {
                assertThat(perMetric.getOrDefault(price.metric(), BigDecimal.ZERO)).isLessThanOrEqualTo(price.metricCap());
            }
        }
        Map<String, BigDecimal> perPayer = sum(lines, DuePayout::payerId);
        for (BondTerms.OutcomePayer payer : terms.parties().outcomePayers()) {
            if (payer.cap() != null) {
                assertThat(perPayer.getOrDefault(payer.id(), BigDecimal.ZERO)).isLessThanOrEqualTo(payer.cap());
            }
        }
        if (terms.contractCap() != null) {
            assertThat(total(lines)).isLessThanOrEqualTo(terms.contractCap());
        }
        // Nothing is silently dropped: every distinct claim's price is accounted for as paid or capped.
        assertThat(lines.stream().map(DuePayout::gross).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(distinctGross(terms, claims));
    }

    @Property(tries = TRIES)
    void orderAndBatchingNeverChangeTheBookedTotals(@ForAll("rateCardsWithOneKindOfClaimCap") BondTerms terms,
                                                    @ForAll("claimSets") List<Measurement.OutcomeClaim> claims,
                                                    @ForAll long oneSeed, @ForAll long otherSeed) {
        Ledger one = play(terms, arrival(claims, oneSeed));
        Ledger other = play(terms, arrival(claims, otherSeed));

        assertThat(one.paid()).isEqualByComparingTo(other.paid());
        assertThat(one.capped()).isEqualByComparingTo(other.capped());
        // a payer owing nothing may have a fully capped line in one order and none in the other: same money
        assertThat(owing(sum(one.lines(), DuePayout::payerId))).isEqualTo(owing(sum(other.lines(), DuePayout::payerId)));
        if (terms.parties().outcomePayers().stream().allMatch(payer -> payer.cap() == null)) {
            BigDecimal expected = oracleTotal(terms, claims);
            if (terms.contractCap() != null) {
                expected = expected.min(terms.contractCap());
            }
            assertThat(one.paid()).isEqualByComparingTo(expected);
        }
    }

    @Property(tries = TRIES)
    void theLinesEverDueAddUpToTheBookedCumulativeTotal(@ForAll("rateCards") BondTerms terms,
                                                        @ForAll("claimSets") List<Measurement.OutcomeClaim> claims,
                                                        @ForAll long seed) {
        Ledger ledger = play(terms, arrival(claims, seed));
        List<DuePayout> booked = PaymentMechanisms.booked(terms, NO_FACTS, ledger.approved(), -1);

        assertThat(ledger.paid()).isEqualByComparingTo(total(booked));
        Map<String, BigDecimal> bookedByKey = sum(booked, DuePayout::key);
        sum(ledger.lines(), DuePayout::key).forEach((key, paid) -> assertThat(paid).isEqualByComparingTo(bookedByKey.get(key)));
    }

    @Property(tries = TRIES)
    void thePayerSplitOfEveryClaimAddsUpToItsPriceToTheMinorUnit(@ForAll("rateCards") BondTerms terms,
                                                                 @ForAll("claimSets") List<Measurement.OutcomeClaim> claims,
                                                                 @ForAll long seed) {
        PaymentMechanism.RateCard card = (PaymentMechanism.RateCard) terms.paymentMechanism();
        Map<String, BigDecimal> prices = card.prices().stream()
                .collect(Collectors.toMap(PaymentMechanism.Price::metric, PaymentMechanism.Price::price));
        List<DuePayout> lines = play(terms, arrival(claims, seed)).lines();
        Map<String, List<DuePayout>> byCause = lines.stream().collect(Collectors.groupingBy(
                line -> line.key().substring(0, line.key().lastIndexOf(':'))));

        byCause.values().forEach(payers -> {
            assertThat(payers).hasSizeLessThanOrEqualTo(terms.parties().outcomePayers().size());
            assertThat(payers.stream().map(DuePayout::gross).reduce(BigDecimal.ZERO, BigDecimal::add))
                    .isEqualByComparingTo(prices.get(payers.get(0).metric()));
        });
        if (terms.parties().outcomePayers().stream().allMatch(payer -> payer.cap() == null) && terms.contractCap() == null) {
            BigDecimal paid = total(lines);
            Map<String, BigDecimal> perPayer = sum(lines, DuePayout::payerId);
            for (BondTerms.OutcomePayer payer : terms.parties().outcomePayers()) {
                assertThat(perPayer.getOrDefault(payer.id(), BigDecimal.ZERO).subtract(paid.multiply(payer.share())).abs())
                        .isLessThanOrEqualTo(dec("0.01"));
            }
        }
    }

    @Property(tries = TRIES)
    void replayGivesIdenticalLinesUnderIdenticalKeys(@ForAll("rateCards") BondTerms terms,
                                                     @ForAll("claimSets") List<Measurement.OutcomeClaim> claims,
                                                     @ForAll long seed) {
        List<ApprovedMeasurement> approvals = arrival(claims, seed);
        List<DuePayout> live = play(terms, approvals).lines();

        assertThat(play(terms, approvals).lines()).isEqualTo(live);
        assertThat(live.stream().map(DuePayout::key).distinct().count()).isEqualTo(live.size());
        for (ApprovedMeasurement approval : approvals) {
            List<ApprovedMeasurement> before = approvals.subList(0, approvals.indexOf(approval));
            assertThat(PaymentMechanisms.newlyDue(terms, NO_FACTS, approvals.subList(0, approvals.indexOf(approval) + 1),
                    approval)).as("approving %s again", approval.measurementId()).isEmpty();
            assertThat(PaymentMechanisms.newlyDue(terms, NO_FACTS, before, approval))
                    .isEqualTo(live.stream().filter(line -> approval.measurementId().equals(line.measurementId())).toList());
        }
    }

    // ------------------------------------------------------------------ the other mechanisms

    @Property(tries = TRIES)
    void weightedTargetsNeverPayAboveTheMaximum(@ForAll("payers") List<BondTerms.OutcomePayer> payers,
                                                @ForAll("targetResults") List<Measurement.TargetResult> results) {
        BondTerms terms = TestBonds.terms("USD", null, payers, TestBonds.metrics("m0", "m1", "m2"),
                new PaymentMechanism.WeightedTargets(dec("422000.00"), List.of(
                        new PaymentMechanism.Target("m0", dec("5592"), dec("0.5")),
                        new PaymentMechanism.Target("m1", dec("0.79"), dec("0.3")),
                        new PaymentMechanism.Target("m2", dec("3"), dec("0.2")))));
        Ledger ledger = play(terms, numbered("t", results));

        assertWellFormed(ledger.lines());
        assertThat(ledger.paid()).isLessThanOrEqualTo(dec("422000.00"));
        assertThat(ledger.paid()).isEqualByComparingTo(total(PaymentMechanisms.booked(terms, NO_FACTS, ledger.approved(), -1)));
        assertPayerCaps(terms, ledger.lines());
    }

    @Property(tries = TRIES)
    void savingsShareNeverPaysBeyondItsTiersOrCap(@ForAll("payers") List<BondTerms.OutcomePayer> payers,
                                                  @ForAll("savingsSets") List<Measurement.Savings> savings,
                                                  @ForAll boolean capped) {
        BondTerms terms = TestBonds.terms("ILS", null, payers, TestBonds.metrics("m0"),
                new PaymentMechanism.SavingsShare("m0", null, null, null, List.of(
                        new PaymentMechanism.SavingsTier(dec("8000000"), BigDecimal.ONE),
                        new PaymentMechanism.SavingsTier(dec("8800000"), BigDecimal.ONE),
                        new PaymentMechanism.SavingsTier(null, BigDecimal.ZERO)), capped ? dec("5000000.00") : null));
        Ledger ledger = play(terms, numbered("s", savings));

        assertWellFormed(ledger.lines());
        assertThat(ledger.paid()).isLessThanOrEqualTo(capped ? dec("5000000.00") : dec("8800000.00"));
        assertThat(ledger.paid()).isEqualByComparingTo(total(PaymentMechanisms.booked(terms, NO_FACTS, ledger.approved(), -1)));
        assertPayerCaps(terms, ledger.lines());
    }

    @Property(tries = TRIES)
    void utahSavingsPaymentsNeverFallAndAddUp(@ForAll("savingsSets") List<Measurement.Savings> savings) {
        BondTerms terms = TestBonds.terms("USD", "3000000.00", TestBonds.onePayer(null), TestBonds.metrics("m0"),
                new PaymentMechanism.SavingsShare("m0", dec("0.95"), dec("0.4"), dec("0.05"), List.of(), null));
        PricingFacts facts = new PricingFacts(Map.of(), dec("1000000.00"), false);
        Ledger ledger = new Ledger(terms, facts).approveAll(numbered("s", savings));

        assertWellFormed(ledger.lines());
        assertThat(ledger.paid()).isLessThanOrEqualTo(dec("3000000.00"));
        assertThat(ledger.paid()).isEqualByComparingTo(total(PaymentMechanisms.booked(terms, facts, ledger.approved(), -1)));
    }

    @Property(tries = TRIES)
    void thresholdPaymentsStayUnderTheCapAndPoolAtMostOnce(@ForAll("payers") List<BondTerms.OutcomePayer> payers,
                                                          @ForAll("cohortResults") List<Measurement.CohortResult> results,
                                                          @ForAll boolean capped, @ForAll boolean lowerIsBetter) {
        BondTerms terms = TestBonds.terms("GBP", null, payers, TestBonds.metrics("m0"),
                new PaymentMechanism.ThresholdVsComparison("m0", lowerIsBetter, dec("0.10"), dec("0.075"),
                        dec("333.33"), dec("100"), capped ? dec("500000.00") : null));
        PricingFacts facts = new PricingFacts(Map.of("c0", 1000, "c1", 777, "c2", 31), BigDecimal.ZERO, false);
        Ledger ledger = new Ledger(terms, facts).approveAll(numbered("r", results));
        ledger.mature();

        assertWellFormed(ledger.lines());
        if (capped) {
            assertThat(ledger.paid()).isLessThanOrEqualTo(dec("500000.00"));
        }
        assertThat(ledger.lines().stream().filter(line -> line.measurementId() == null).map(DuePayout::payerId))
                .doesNotHaveDuplicates();
        assertThat(ledger.paid()).isEqualByComparingTo(total(PaymentMechanisms.booked(terms, ledger.facts(),
                ledger.approved(), ledger.approved().size())));
        assertPayerCaps(terms, ledger.lines());
    }

    @Property(tries = TRIES)
    void graduatedPaymentsNeverExceedTheHighestTier(@ForAll("payers") List<BondTerms.OutcomePayer> payers,
                                                    @ForAll("targetResults") List<Measurement.TargetResult> results) {
        BondTerms terms = TestBonds.terms("ILS", "2100000.00", payers, TestBonds.metrics("m0"),
                new PaymentMechanism.Graduated("m0", List.of(
                        new PaymentMechanism.GraduatedTier(dec("1"), dec("1000000.00")),
                        new PaymentMechanism.GraduatedTier(dec("3000"), dec("2000000.00")),
                        new PaymentMechanism.GraduatedTier(dec("6000"), dec("2300000.00")))));
        Ledger ledger = play(terms, numbered("g", results));

        assertWellFormed(ledger.lines());
        assertThat(ledger.paid()).isLessThanOrEqualTo(dec("2100000.00"));
        assertThat(ledger.paid()).isEqualByComparingTo(total(PaymentMechanisms.booked(terms, NO_FACTS, ledger.approved(), -1)));
        assertPayerCaps(terms, ledger.lines());
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<BondTerms> rateCards() {
        return rateCards(Arbitraries.integers().between(0, 2));
    }

    /** Either a participant cap or metric caps, never both: together they are first come, first served. */
    @Provide
    Arbitrary<BondTerms> rateCardsWithOneKindOfClaimCap() {
        return rateCards(Arbitraries.integers().between(0, 1));
    }

    private Arbitrary<BondTerms> rateCards(Arbitrary<Integer> claimCapKinds) {
        Arbitrary<List<BigDecimal>> prices = cents(1, 500_000).list().ofSize(METRICS.size());
        Arbitrary<List<Boolean>> repeatable = Arbitraries.of(true, false).list().ofSize(METRICS.size());
        Arbitrary<List<BigDecimal>> metricCaps = cents(1, 1_500_000).injectNull(0.4).list().ofSize(METRICS.size());
        Arbitrary<BigDecimal> participantCap = cents(1, 1_000_000).injectNull(0.2);
        Arbitrary<BigDecimal> contractCap = cents(1, 4_000_000).injectNull(0.4);
        return Combinators.combine(prices, repeatable, metricCaps, participantCap, claimCapKinds, payers(), contractCap)
                .as((priceList, repeats, caps, perParticipant, kind, payerList, contract) -> {
                    List<PaymentMechanism.Price> card = new ArrayList<>();
                    List<BondTerms.Metric> metrics = new ArrayList<>();
                    for (int i = 0; i < METRICS.size(); i++) {
                        card.add(new PaymentMechanism.Price(METRICS.get(i), priceList.get(i), kind == 0 ? null : caps.get(i)));
                        metrics.add(TestBonds.metric(METRICS.get(i), repeats.get(i)));
                    }
                    return TestBonds.terms("GBP", contract == null ? null : contract.toPlainString(), payerList, metrics,
                            new PaymentMechanism.RateCard(card, kind == 1 ? null : perParticipant));
                });
    }

    @Provide
    Arbitrary<List<BondTerms.OutcomePayer>> payers() {
        return Arbitraries.of(PayerSplitTest.SHARE_SETS).flatMap(shares ->
                cents(1, 2_000_000).injectNull(0.5).list().ofSize(shares.size()).map(caps -> {
                    List<BondTerms.OutcomePayer> payers = new ArrayList<>();
                    for (int i = 0; i < shares.size(); i++) {
                        payers.add(new BondTerms.OutcomePayer("payer-" + i, shares.get(i), caps.get(i)));
                    }
                    return payers;
                }));
    }

    @Provide
    Arbitrary<List<Measurement.OutcomeClaim>> claimSets() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.of(METRICS),
                        Arbitraries.integers().between(0, 3))
                .as((participant, metric, day) -> TestBonds.claim("p-" + participant, metric,
                        TestBonds.DAY.plusDays(day)))
                .list().ofMaxSize(24);
    }

    @Provide
    Arbitrary<List<Measurement.TargetResult>> targetResults() {
        return Combinators.combine(Arbitraries.of(METRICS), Arbitraries.bigDecimals().between(dec("-10"), dec("9000"))
                        .ofScale(3))
                .as(Measurement.TargetResult::new).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<Measurement.Savings>> savingsSets() {
        return Combinators.combine(cents(-100_000_000, 500_000_000), Arbitraries.of("2016", "2017", "2018").injectNull(0.3))
                .as(Measurement.Savings::new).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<Measurement.CohortResult>> cohortResults() {
        return Combinators.combine(Arbitraries.of("c0", "c1", "c2"), Arbitraries.of("m0", "other"),
                        Arbitraries.bigDecimals().between(dec("0"), dec("200")).ofScale(1),
                        Arbitraries.bigDecimals().between(dec("0"), dec("200")).ofScale(1))
                .as((cohort, metric, treated, comparison) -> new Measurement.CohortResult(cohort, metric, "12 months",
                        treated, comparison))
                .list().ofMaxSize(8);
    }

    private static Arbitrary<BigDecimal> cents(long min, long max) {
        return Arbitraries.longs().between(min, max).map(value -> BigDecimal.valueOf(value, 2));
    }

    // ------------------------------------------------------------------ helpers

    /** The claims shuffled and cut into measurements, both as the seed says. */
    private static List<ApprovedMeasurement> arrival(List<Measurement.OutcomeClaim> claims, long seed) {
        Random random = new Random(seed);
        List<Measurement.OutcomeClaim> shuffled = new ArrayList<>(claims);
        Collections.shuffle(shuffled, random);
        List<ApprovedMeasurement> measurements = new ArrayList<>();
        int from = 0;
        while (from < shuffled.size()) {
            int to = Math.min(shuffled.size(), from + 1 + random.nextInt(5));
            measurements.add(TestBonds.claims("m-" + seed + "-" + measurements.size(), shuffled.subList(from, to)));
            from = to;
        }
        return measurements;
    }

    private static List<ApprovedMeasurement> numbered(String prefix, List<? extends Measurement> measurements) {
        List<ApprovedMeasurement> approvals = new ArrayList<>();
        for (int i = 0; i < measurements.size(); i++) {
            approvals.add(TestBonds.approved(prefix + "-" + i, measurements.get(i)));
        }
        return approvals;
    }

    private static Ledger play(BondTerms terms, List<ApprovedMeasurement> approvals) {
        return new Ledger(terms, NO_FACTS).approveAll(approvals);
    }

    private static void assertWellFormed(List<DuePayout> lines) {
        for (DuePayout line : lines) {
            assertThat(line.payable().signum()).as("payable of %s", line.key()).isGreaterThanOrEqualTo(0);
            assertThat(line.capped().signum()).as("capped of %s", line.key()).isGreaterThanOrEqualTo(0);
            assertThat(line.payable().signum() + line.capped().signum()).isPositive();
            assertThat(line.gross()).isEqualByComparingTo(line.payable().add(line.capped()));
            assertThat(line.payable().scale()).isLessThanOrEqualTo(2);
            assertThat(line.capped().scale()).isLessThanOrEqualTo(2);
        }
    }

    private static void assertPayerCaps(BondTerms terms, List<DuePayout> lines) {
        Map<String, BigDecimal> perPayer = sum(lines, DuePayout::payerId);
        for (BondTerms.OutcomePayer payer : terms.parties().outcomePayers()) {
            if (payer.cap() != null) {
                assertThat(perPayer.getOrDefault(payer.id(), BigDecimal.ZERO)).isLessThanOrEqualTo(payer.cap());
            }
        }
    }

    private static Map<String, BigDecimal> owing(Map<String, BigDecimal> byPayer) {
        Map<String, BigDecimal> owing = new HashMap<>(byPayer);
        owing.values().removeIf(amount -> amount.signum() == 0);
        return owing;
    }

    private static Map<String, BigDecimal> sum(List<DuePayout> lines, Function<DuePayout, String> key) {
        Map<String, BigDecimal> sums = new HashMap<>();
        for (DuePayout line : lines) {
            sums.merge(String.valueOf(key.apply(line)), line.payable(), BigDecimal::add);
        }
        sums.replaceAll((k, v) -> v.stripTrailingZeros());
        return sums;
    }

    private static BigDecimal total(List<DuePayout> lines) {
        return lines.stream().map(DuePayout::payable).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The claims that pay at all: one per participant and one-off metric, one per date for a repeatable metric. */
    private static Map<String, List<PaymentMechanism.Price>> distinctClaims(BondTerms terms,
                                                                           List<Measurement.OutcomeClaim> claims) {
        PaymentMechanism.RateCard card = (PaymentMechanism.RateCard) terms.paymentMechanism();
        Set<String> repeatable = new HashSet<>();
        terms.metrics().stream().filter(BondTerms.Metric::repeatable).forEach(metric -> repeatable.add(metric.id()));
        Map<String, PaymentMechanism.Price> prices = card.prices().stream()
                .collect(Collectors.toMap(PaymentMechanism.Price::metric, price -> price));
        Set<String> seen = new HashSet<>();
        Map<String, List<PaymentMechanism.Price>> byParticipant = new LinkedHashMap<>();
        for (Measurement.OutcomeClaim claim : claims) {
            String identity = claim.participantRef() + "|" + claim.metric()
                    + (repeatable.contains(claim.metric()) ? "|" + claim.achievedOn() : "");
            if (seen.add(identity)) {
                byParticipant.computeIfAbsent(claim.participantRef(), p -> new ArrayList<>()).add(prices.get(claim.metric()));
            }
        }
        return byParticipant;
    }

    private static BigDecimal distinctGross(BondTerms terms, List<Measurement.OutcomeClaim> claims) {
        return distinctClaims(terms, claims).values().stream().flatMap(List::stream).map(PaymentMechanism.Price::price)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The rate card's total when only one kind of claim cap applies: then it is a sum of independent minimums. */
    private static BigDecimal oracleTotal(BondTerms terms, List<Measurement.OutcomeClaim> claims) {
        PaymentMechanism.RateCard card = (PaymentMechanism.RateCard) terms.paymentMechanism();
        Map<String, List<PaymentMechanism.Price>> byParticipant = distinctClaims(terms, claims);
        if (card.perParticipantCap() != null) {
            return byParticipant.values().stream()
                    .map(prices -> prices.stream().map(PaymentMechanism.Price::price).reduce(BigDecimal.ZERO, BigDecimal::add)
                            .min(card.perParticipantCap()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
        Map<String, BigDecimal> perMetric = new HashMap<>();
        byParticipant.values().stream().flatMap(List::stream)
                .forEach(price -> perMetric.merge(price.metric(), price.price(), BigDecimal::add));
        return card.prices().stream()
                .map(price -> {
                    BigDecimal claimed = perMetric.getOrDefault(price.metric(), BigDecimal.ZERO);
                    return price.metricCap() == null ? claimed : claimed.min(price.metricCap());
                })
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
