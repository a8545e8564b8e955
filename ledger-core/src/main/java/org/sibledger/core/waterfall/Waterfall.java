package org.sibledger.core.waterfall;

import org.sibledger.contracts.bond.BondTerms.InvestorTerms;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms.ExcessTo;
import org.sibledger.contracts.bond.BondTerms.Tranche;
import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The investor waterfall: how money received by the bond vehicle is distributed, and what guarantees pay at
 * maturity. Pure functions of (investor terms, positions, amount, date).
 *
 * <p>Order: by tranche rank, principal then return (senior principal, senior return, subordinate principal,
 * subordinate return, ...); tranches of equal rank are paid pari passu. Within a step, money is shared pro rata to
 * funded principal, each position taking at most its outstanding principal, then at most the return that keeps its
 * IRR at or below its tranche's {@code returnCapIrr} ({@link ReturnCap}); a tranche without a cap takes all that
 * reaches its return step (a guarantee tranche without a cap recovers what its guarantors paid, no more).
 * What is left above every cap is the excess, sent where {@code excessTo} says.
 *
 * <p>Invariants: every part is booked in the currency's minor units; the parts and the excess add up to the
 * available amount exactly; no position's return passes its cap, so no tranche's IRR passes it either (the value at
 * the cap rate of a sum of flows is the sum of their values).
 */
public final class Waterfall {

    private Waterfall() {
    }

    /**
     * Distributes {@code available} (exact in the currency's minor units) on {@code date} among the positions, whose
     * cash flows must include their fundings, since the return caps are judged on them.
     *
     * @throws IllegalArgumentException for inconsistent terms, a position in an unknown tranche or listed twice,
     *                                  amounts finer than the minor unit or negative, or an excess to share among
     *                                  investors when no position is funded
     */
    public static Distribution distribute(InvestorTerms terms, List<InvestorPosition> positions, BigDecimal available,
                                          LocalDate date, String currency) {
        TrancheRules.requireValid(terms);
        if (date == null) {
            throw new IllegalArgumentException("a distribution needs a date");
        }
        int scale = Money.minorUnits(currency);
        requireBookable("the available amount", available, currency);
        Map<String, Tranche> tranches = tranchesById(terms);
        requireValid(positions, tranches, currency);

        BigDecimal remaining = available.setScale(scale);
        List<Allocation> allocations = new ArrayList<>();
        for (List<Tranche> group : byRank(terms).values()) {
            Set<String> ids = new HashSet<>();
            group.forEach(t -> ids.add(t.id()));
            List<InvestorPosition> members = new ArrayList<>();
            for (InvestorPosition p : positions) {
                if (ids.contains(p.trancheId()) && p.funded().signum() > 0) {
                    members.add(p);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            List<BigDecimal> weights = new ArrayList<>();
            List<BigDecimal> outstanding = new ArrayList<>();
            for (InvestorPosition p : members) {
                weights.add(p.funded());
                outstanding.add(p.outstandingPrincipal());
            }
            BigDecimal principalPaid = remaining.min(ProRata.capacity(weights, outstanding, scale));
            List<BigDecimal> principal = ProRata.split(principalPaid, weights, outstanding, scale);
            remaining = remaining.subtract(principalPaid);

            List<BigDecimal> allowed = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                InvestorPosition p = members.get(i);
                BigDecimal cap = returnCap(tranches.get(p.trancheId()));
                if (cap == null) {
                    allowed.add(remaining);
                } else {
                    List<CashFlow> flows = new ArrayList<>(p.cashFlows());
                    flows.add(new CashFlow(date, principal.get(i)));
                    allowed.add(ReturnCap.bookableHeadroom(cap, flows, date, currency));
                }
            }
            BigDecimal returnPaid = remaining.min(ProRata.capacity(weights, allowed, scale));
            List<BigDecimal> investorReturn = ProRata.split(returnPaid, weights, allowed, scale);
            remaining = remaining.subtract(returnPaid);

            for (int i = 0; i < members.size(); i++) {
                if (principal.get(i).signum() == 0 && investorReturn.get(i).signum() == 0) {
                    continue;
                }
                InvestorPosition p = members.get(i);
                Tranche tranche = tranches.get(p.trancheId());
                allocations.add(new Allocation(p.investorId(), p.trancheId(), principal.get(i), investorReturn.get(i),
                        rule(tranche, group.size() > 1, principal.get(i), outstanding.get(i), investorReturn.get(i),
                                allowed.get(i), currency)));
            }
        }

        ExcessTo excessTo = terms.excessTo();
        List<Allocation> excessAllocations = new ArrayList<>();
        String excessRule;
        if (remaining.signum() == 0) {
            excessRule = "nothing is left above the return caps";
        } else if (excessTo == ExcessTo.INVESTORS_PRO_RATA) {
            excessAllocations = shareExcess(remaining, positions, tranches, currency);
            excessRule = money(currency, remaining) + " above the return caps is shared by investors pro rata to"
                    + " funded principal, as the investor terms say (excessTo INVESTORS_PRO_RATA)";
        } else {
            excessRule = money(currency, remaining) + " above the return caps "
                    + (excessTo == ExcessTo.OUTCOME_PAYERS ? "is refunded to the outcome payers"
                    : "goes to the service provider") + ", as the investor terms say (excessTo " + excessTo + ")";
        }
        return new Distribution(date, currency, available.setScale(scale), allocations, remaining, excessTo,
                excessAllocations, excessRule);
    }

    /**
     * What the guarantees pay when outcome payments have not repaid the guaranteed principal at maturity. For each
     * GUARANTEE tranche, by rank: each guaranteed position (funded in a guaranteed tranche) is covered up to
     * {@code guaranteedShareOfPrincipal} of its funded principal (the share of the tranches' total, booked
     * half-even, split pro rata), and receives the least of that and its outstanding principal; the guarantors (the
     * positions in the guarantee tranche) pay pro rata to their uncalled commitments, never beyond them. A later
     * guarantee covers only what earlier ones left.
     */
    public static GuaranteeCall guaranteeCall(InvestorTerms terms, List<InvestorPosition> positions, String currency) {
        TrancheRules.requireValid(terms);
        int scale = Money.minorUnits(currency);
        Map<String, Tranche> tranches = tranchesById(terms);
        requireValid(positions, tranches, currency);

        // What each position is still owed in principal, reduced as guarantees pay it.
        Map<InvestorPosition, BigDecimal> owed = new LinkedHashMap<>();
        BigDecimal shortfall = BigDecimal.ZERO.setScale(scale);
        Set<InvestorPosition> guaranteedAtAll = new HashSet<>();
        List<GuaranteePayment> payments = new ArrayList<>();
        for (List<Tranche> group : byRank(terms).values()) {
            for (Tranche guarantee : group) {
                if (guarantee.kind() != Tranche.Kind.GUARANTEE) {
                    continue;
                }
                Set<String> covered = new HashSet<>(guarantee.guaranteedTranches());
                if (covered.isEmpty()) {
                    tranches.values().stream().filter(t -> t.kind() != Tranche.Kind.GUARANTEE)
                            .forEach(t -> covered.add(t.id()));
                }
                List<InvestorPosition> beneficiaries = new ArrayList<>();
                List<InvestorPosition> guarantors = new ArrayList<>();
                for (InvestorPosition p : positions) {
                    if (covered.contains(p.trancheId()) && p.funded().signum() > 0) {
                        beneficiaries.add(p);
                        owed.putIfAbsent(p, p.outstandingPrincipal().setScale(scale));
                        if (guaranteedAtAll.add(p)) {
                            shortfall = shortfall.add(p.outstandingPrincipal());
                        }
                    } else if (p.trancheId().equals(guarantee.id()) && p.uncalledCommitment().signum() > 0) {
                        guarantors.add(p);
                    }
                }
                payments.addAll(callOne(guarantee, beneficiaries, guarantors, owed, currency, scale));
            }
        }
        BigDecimal paid = payments.stream().map(GuaranteePayment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new GuaranteeCall(payments, shortfall, shortfall.subtract(paid));
    }

    private static List<GuaranteePayment> callOne(Tranche guarantee, List<InvestorPosition> beneficiaries,
                                                  List<InvestorPosition> guarantors,
                                                  Map<InvestorPosition, BigDecimal> owed, String currency, int scale) {
        BigDecimal share = guarantee.guaranteedShareOfPrincipal();
        List<BigDecimal> funded = new ArrayList<>();
        beneficiaries.forEach(p -> funded.add(p.funded()));
        BigDecimal coveredPrincipal = funded.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .multiply(share).setScale(scale, RoundingMode.HALF_EVEN);
        List<BigDecimal> limits = ProRata.split(coveredPrincipal, funded, funded, scale);
        List<BigDecimal> owedBefore = new ArrayList<>();
        List<BigDecimal> needs = new ArrayList<>();
        for (int i = 0; i < beneficiaries.size(); i++) {
            owedBefore.add(owed.get(beneficiaries.get(i)));
            needs.add(limits.get(i).min(owedBefore.get(i)));
        }
        List<BigDecimal> capacity = new ArrayList<>();
        guarantors.forEach(g -> capacity.add(g.uncalledCommitment()));
        BigDecimal pay = ProRata.capacity(needs, needs, scale).min(ProRata.capacity(capacity, capacity, scale));
        if (pay.signum() == 0) {
            return List.of();
        }
        List<BigDecimal> received = ProRata.split(pay, needs, needs, scale);
        List<BigDecimal> given = ProRata.split(pay, capacity, capacity, scale);

        // Pair guarantors with investors in order, each pair taking what both still have: exact and deterministic.
        List<GuaranteePayment> out = new ArrayList<>();
        int g = 0;
        int b = 0;
        BigDecimal left = given.isEmpty() ? BigDecimal.ZERO : given.get(0);
        BigDecimal due = received.get(0);
        while (g < guarantors.size() && b < beneficiaries.size()) {
            BigDecimal amount = left.min(due);
            if (amount.signum() > 0) {
                InvestorPosition investor = beneficiaries.get(b);
                InvestorPosition guarantor = guarantors.get(g);
                out.add(new GuaranteePayment(guarantor.investorId(), guarantee.id(), investor.investorId(),
                        investor.trancheId(), amount, guaranteeRule(guarantee, investor, owedBefore.get(b),
                        limits.get(b), received.get(b), guarantor, currency)));
                owed.put(investor, owed.get(investor).subtract(amount));
            }
            left = left.subtract(amount);
            due = due.subtract(amount);
            if (left.signum() == 0 && ++g < guarantors.size()) {
                left = given.get(g);
            }
            if (due.signum() == 0 && ++b < beneficiaries.size()) {
                due = received.get(b);
            }
        }
        return out;
    }

    private static List<Allocation> shareExcess(BigDecimal excess, List<InvestorPosition> positions,
                                                Map<String, Tranche> tranches, String currency) {
        List<InvestorPosition> sharing = new ArrayList<>();
        List<BigDecimal> weights = new ArrayList<>();
        for (InvestorPosition p : positions) {
            if (p.funded().signum() > 0 && tranches.get(p.trancheId()).kind() != Tranche.Kind.GUARANTEE) {
                sharing.add(p);
                weights.add(p.funded());
            }
        }
        if (sharing.isEmpty()) {
            throw new IllegalArgumentException("the terms share the excess among investors, but no position is funded"
                    + " to share " + money(currency, excess));
        }
        List<BigDecimal> caps = new ArrayList<>();
        sharing.forEach(p -> caps.add(excess));
        List<BigDecimal> parts = ProRata.split(excess, weights, caps, Money.minorUnits(currency));
        List<Allocation> out = new ArrayList<>();
        for (int i = 0; i < sharing.size(); i++) {
            if (parts.get(i).signum() > 0) {
                InvestorPosition p = sharing.get(i);
                out.add(new Allocation(p.investorId(), p.trancheId(), BigDecimal.ZERO.setScale(parts.get(i).scale()),
                        parts.get(i), "excess above the return caps, pro rata to funded principal "
                        + money(currency, p.funded())));
            }
        }
        return out;
    }

    private static String rule(Tranche tranche, boolean pariPassu, BigDecimal principal, BigDecimal outstanding,
                               BigDecimal investorReturn, BigDecimal allowed, String currency) {
        StringBuilder rule = new StringBuilder()
                .append("tranche '").append(tranche.id()).append("' (rank ").append(tranche.rank()).append(", ")
                .append(tranche.kind()).append(pariPassu ? ", pari passu" : "").append("): ");
        if (outstanding.signum() == 0) {
            rule.append("principal already repaid");
        } else {
            rule.append("principal ").append(money(currency, principal)).append(" of ")
                    .append(money(currency, outstanding)).append(" outstanding, pro rata to funded principal");
        }
        rule.append("; return ").append(money(currency, investorReturn));
        if (returnCap(tranche) == null) {
            rule.append(", uncapped");
        } else {
            rule.append(" of ").append(money(currency, allowed)).append(" the ")
                    .append(percent(returnCap(tranche))).append(" IRR cap allows");
        }
        return rule.toString();
    }

    /** A guarantor recovers what it paid and no more unless the terms give its tranche a return cap. */
    private static BigDecimal returnCap(Tranche tranche) {
        if (tranche.returnCapIrr() == null && tranche.kind() == Tranche.Kind.GUARANTEE) {
            return BigDecimal.ZERO;
        }
        return tranche.returnCapIrr();
    }

    private static String guaranteeRule(Tranche guarantee, InvestorPosition investor, BigDecimal owed,
                                        BigDecimal limit, BigDecimal received, InvestorPosition guarantor,
                                        String currency) {
        return "guarantee '" + guarantee.id() + "' covers " + percent(guarantee.guaranteedShareOfPrincipal())
                + " of funded principal: " + investor.investorId() + " in '" + investor.trancheId() + "' is owed "
                + money(currency, owed) + " of principal, covered up to " + money(currency, limit) + ", receives "
                + money(currency, received) + "; guarantor " + guarantor.investorId()
                + " pays pro rata to uncalled guarantee commitments";
    }

    private static Map<String, Tranche> tranchesById(InvestorTerms terms) {
        Map<String, Tranche> byId = new HashMap<>();
        terms.tranches().forEach(t -> byId.put(t.id(), t));
        return byId;
    }

    /** Tranches grouped by rank, ascending; declaration order within a rank. */
    private static TreeMap<Integer, List<Tranche>> byRank(InvestorTerms terms) {
        TreeMap<Integer, List<Tranche>> byRank = new TreeMap<>();
        terms.tranches().forEach(t -> byRank.computeIfAbsent(t.rank(), r -> new ArrayList<>()).add(t));
        return byRank;
    }

    private static void requireValid(List<InvestorPosition> positions, Map<String, Tranche> tranches,
                                     String currency) {
        if (positions == null) {
            throw new IllegalArgumentException("positions are required");
        }
        Set<String> seen = new HashSet<>();
        for (InvestorPosition p : positions) {
            String key = p.investorId() + " in '" + p.trancheId() + "'";
            if (!tranches.containsKey(p.trancheId())) {
                throw new IllegalArgumentException("position " + key + " names a tranche the terms do not declare");
            }
            if (!seen.add(p.investorId() + "\u0000" + p.trancheId())) {
                throw new IllegalArgumentException("position " + key + " appears twice");
            }
            requireBookable("the funded principal of " + key, p.funded(), currency);
            requireBookable("the principal distributed to " + key, p.distributedPrincipal(), currency);
            requireBookable("the return distributed to " + key, p.distributedReturn(), currency);
            if (p.distributedPrincipal().compareTo(p.funded()) > 0) {
                throw new IllegalArgumentException("position " + key + " has had more principal back ("
                        + p.distributedPrincipal().toPlainString() + ") than it funded ("
                        + p.funded().toPlainString() + ")");
            }
        }
    }

    private static void requireBookable(String what, BigDecimal amount, String currency) {
        if (amount == null || amount.signum() < 0) {
            throw new IllegalArgumentException(what + " must be zero or more, not " + amount);
        }
        if (!ProRata.isBookable(amount, currency)) {
            throw new IllegalArgumentException(what + " (" + amount.toPlainString() + ") has more decimals than "
                    + currency + " allows (" + Money.minorUnits(currency) + ")");
        }
    }

    private static String money(String currency, BigDecimal amount) {
        return currency + " " + amount.setScale(Money.minorUnits(currency), RoundingMode.UNNECESSARY).toPlainString();
    }

    private static String percent(BigDecimal rate) {
        return rate.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
