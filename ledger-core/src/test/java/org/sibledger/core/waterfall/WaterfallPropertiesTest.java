package org.sibledger.core.waterfall;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms.ExcessTo;
import org.sibledger.contracts.bond.BondTerms.Tranche;
import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the waterfall for any terms, positions and available amount: conservation to the minor unit; no
 * position's and no tranche's IRR above its cap, over two distributions; a later rank or the excess gets money only
 * when every earlier rank is repaid and at its cap; the same input always gives the same distribution.
 */
class WaterfallPropertiesTest {

    private static final int TRIES = 200;
    private static final String[] CAPS = {"0", "0.03", "0.05", "0.1", "0.15", "0.25"};
    private static final double IRR_TOLERANCE = 1e-9;

    record Scenario(String currency, InvestorTerms terms, List<InvestorPosition> positions, BigDecimal first,
                    LocalDate firstDate, BigDecimal second, LocalDate secondDate) {
    }

    @Property(tries = TRIES)
    void allocationsAndExcessAddUpToTheAvailableAmount(@ForAll long seed) {
        Scenario s = scenario(seed);
        int scale = Money.minorUnits(s.currency());
        List<Distribution> both = run(s);
        Distribution first = both.get(0);
        Statistics.label("reached").collect(first.excess().signum() > 0 ? "excess"
                : first.allocations().stream().anyMatch(a -> a.investorReturn().signum() > 0) ? "return" : "principal only");
        Statistics.label("reached").coverage(coverage -> {
            coverage.check("excess").percentage(p -> p > 10);
            coverage.check("return").percentage(p -> p > 5);
            coverage.check("principal only").percentage(p -> p > 10);
        });

        for (Distribution d : both) {
            for (Allocation a : d.allocations()) {
                assertThat(a.principal().scale()).isEqualTo(scale);
                assertThat(a.investorReturn().scale()).isEqualTo(scale);
                assertThat(a.principal().signum()).isGreaterThanOrEqualTo(0);
                assertThat(a.investorReturn().signum()).isGreaterThanOrEqualTo(0);
            }
            assertThat(TestInvestors.sumAllocated(d).add(d.excess())).isEqualTo(d.available());
            BigDecimal lines = d.lines().stream().map(l -> l.principal().add(l.investorReturn()))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(lines.add(d.leavingInvestors())).isEqualByComparingTo(d.available());
            if (d.excessTo() != ExcessTo.INVESTORS_PRO_RATA) {
                assertThat(d.excessAllocations()).isEmpty();
            }
        }
    }

    @Property(tries = TRIES)
    void noPositionAndNoTrancheIsPaidAboveItsReturnCap(@ForAll long seed) {
        Scenario s = scenario(seed);
        if (s.terms().excessTo() == ExcessTo.INVESTORS_PRO_RATA) {
            return; // Sharing the excess pays above the caps on purpose.
        }
        List<Distribution> both = run(s);
        List<InvestorPosition> end = both.get(1).applyTo(both.get(0).applyTo(s.positions()));

        for (Tranche tranche : s.terms().tranches()) {
            if (tranche.returnCapIrr() == null) {
                continue;
            }
            for (InvestorPosition p : end) {
                if (p.trancheId().equals(tranche.id())) {
                    assertWithinCap(tranche.returnCapIrr(), p.cashFlows(), s.secondDate());
                }
            }
            assertWithinCap(tranche.returnCapIrr(), TestInvestors.trancheFlows(end, tranche.id()), s.secondDate());
        }
    }

    @Property(tries = TRIES)
    void laterRanksAndTheExcessWaitForEarlierRanksToBeRepaidAndAtTheirCaps(@ForAll long seed) {
        Scenario s = scenario(seed);
        Distribution d = Waterfall.distribute(s.terms(), s.positions(), s.first(), s.firstDate(), s.currency());
        List<InvestorPosition> after = d.applyTo(s.positions());

        List<Integer> ranks = s.terms().tranches().stream().map(Tranche::rank).distinct().sorted().toList();
        for (int rank : ranks) {
            boolean laterPaid = d.excess().signum() > 0 || d.allocations().stream()
                    .anyMatch(a -> rankOf(s.terms(), a.trancheId()) > rank && a.total().signum() > 0);
            if (!laterPaid) {
                continue;
            }
            for (InvestorPosition p : after) {
                Tranche tranche = tranche(s.terms(), p.trancheId());
                if (tranche.rank() > rank || p.funded().signum() == 0) {
                    continue;
                }
                assertThat(p.outstandingPrincipal().signum()).as("principal of %s", p).isZero();
                if (tranche.returnCapIrr() != null) {
                    assertThat(ReturnCap.bookableHeadroom(tranche.returnCapIrr(), p.cashFlows(), s.firstDate(),
                            s.currency()).signum()).as("headroom of %s", p).isZero();
                }
            }
        }
    }

    @Property(tries = TRIES)
    void theSameInputGivesTheSameDistribution(@ForAll long seed) {
        Scenario s = scenario(seed);

        assertThat(run(s)).isEqualTo(run(scenario(seed)));
    }

    private static void assertWithinCap(BigDecimal cap, List<CashFlow> flows, LocalDate asOf) {
        assertThat(ReturnCap.headroom(cap, flows, asOf).signum()).as("headroom at %s of %s", cap, flows)
                .isGreaterThanOrEqualTo(0);
        Optional<BigDecimal> irr = Xirr.of(flows);
        irr.ifPresent(rate -> assertThat(rate.doubleValue()).as("IRR of %s", flows)
                .isLessThanOrEqualTo(cap.doubleValue() + IRR_TOLERANCE));
    }

    private static List<Distribution> run(Scenario s) {
        Distribution first = Waterfall.distribute(s.terms(), s.positions(), s.first(), s.firstDate(), s.currency());
        Distribution second = Waterfall.distribute(s.terms(), first.applyTo(s.positions()), s.second(),
                s.secondDate(), s.currency());
        return List.of(first, second);
    }

    /** Ranked tranches (sometimes two at one rank, sometimes uncapped), funded on dates before both distributions. */
    private static Scenario scenario(long seed) {
        Random random = new Random(seed);
        String currency = random.nextInt(4) == 0 ? "JPY" : "GBP";
        int scale = Money.minorUnits(currency);
        List<Tranche> tranches = new ArrayList<>();
        int trancheCount = 1 + random.nextInt(3);
        int rank = 1;
        for (int i = 0; i < trancheCount; i++) {
            if (i > 0 && random.nextInt(4) != 0) {
                rank++;
            }
            String cap = random.nextInt(8) == 0 ? null : CAPS[random.nextInt(CAPS.length)];
            Tranche.Kind kind = rank == 1 ? Tranche.Kind.SENIOR : Tranche.Kind.SUBORDINATE;
            tranches.add(new Tranche("t" + i, rank, cap == null ? null : new BigDecimal(cap), kind, null, null));
        }
        ExcessTo excessTo = ExcessTo.values()[random.nextInt(ExcessTo.values().length)];
        InvestorTerms terms = new InvestorTerms(tranches, excessTo, false);

        List<InvestorPosition> positions = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        LocalDate start = LocalDate.of(2015, 1, 1);
        for (Tranche tranche : tranches) {
            int investors = 1 + random.nextInt(3);
            for (int k = 0; k < investors; k++) {
                InvestorPosition p = InvestorPosition.open("i" + k, tranche.id());
                int fundings = 1 + random.nextInt(2);
                for (int f = 0; f < fundings; f++) {
                    BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(100_000_000), scale);
                    p = p.committed(amount).called(amount).funded(start.plusDays(random.nextInt(1500)), amount);
                    total = total.add(amount);
                }
                positions.add(p);
            }
        }
        LocalDate firstDate = start.plusDays(1500 + random.nextInt(800));
        LocalDate secondDate = firstDate.plusDays(random.nextInt(900));
        return new Scenario(currency, terms, positions, fraction(random, total, scale), firstDate,
                fraction(random, total, scale), secondDate);
    }

    private static BigDecimal fraction(Random random, BigDecimal total, int scale) {
        // From nothing to twice what was funded, so that every step and the excess are reached in some tries.
        return total.multiply(BigDecimal.valueOf(random.nextInt(2_000_001), 6)).setScale(scale, java.math.RoundingMode.DOWN);
    }

    private static Tranche tranche(InvestorTerms terms, String id) {
        return terms.tranches().stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    private static int rankOf(InvestorTerms terms, String id) {
        return tranche(terms, id).rank();
    }
}
