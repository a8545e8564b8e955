package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Books a mechanism's entitlements and applies the caps that every mechanism shares: each payer's commitment, then
 * the contract total. The whole chain is a function of one number, the booked cumulative total T, so no cap and
 * no split depends on the order in which that total was reached.
 *
 * <p>Invariants, for every prefix of the lines:
 * <ul>
 *   <li>T is the exact cumulative payable rounded half-even to the minor unit; a line books T after minus T before,
 *       so the booked lines add up to the booked total and a running sum never drifts;</li>
 *   <li>payer i is entitled to {@code min(cap_i, split_i(T*))}, where T* is T, or, once the contract cap binds,
 *       the smallest total at which the payers' capped parts reach the contract cap: both never fall as T rises,
 *       so every line is a payment, never a refund;</li>
 *   <li>no payer receives more than its cap and all payers together no more than the contract cap;</li>
 *   <li>per line and payer, gross = payable + capped, and the payers' gross add up to the line's booked gross.</li>
 * </ul>
 */
final class CapChain {

    private final String currency;
    private final int scale;
    private final List<BondTerms.OutcomePayer> payers;
    private final List<BigDecimal> payerCaps;
    private final PayerSplit split;
    private final BigDecimal contractCap;

    CapChain(BondTerms terms) {
        this.currency = terms.currency();
        this.scale = Money.minorUnits(currency);
        this.payers = terms.parties() == null ? List.of() : terms.parties().outcomePayers();
        this.split = new PayerSplit(payers.stream().map(BondTerms.OutcomePayer::share).toList(), scale);
        this.payerCaps = payers.stream().map(payer -> floor(payer.cap())).toList();
        this.contractCap = floor(terms.contractCap());
    }

    /** One booked line per entitlement and payer, cumulative, in the entitlements' order. */
    List<DuePayout> book(List<Entitlement> lines) {
        return running().book(lines);
    }

    /** The chain's running state, empty: what the lines booked so far have taken of each payer's and the contract's caps. */
    Running running() {
        return new Running();
    }

    /**
     * What the lines booked so far have taken: T exact and booked, each payer's share, its part after its own cap and
     * after the contract cap. Booking more lines goes on from there, so lines booked in several calls are the lines
     * booked in one.
     */
    final class Running {

        private BigDecimal exactPayable = BigDecimal.ZERO;
        private BigDecimal exactCapped = BigDecimal.ZERO;
        private BigDecimal cappedBefore = zero();
        private BigDecimal contractPoint = zero();
        private List<BigDecimal> sharesBefore = zeros();
        private List<BigDecimal> payerCappedBefore = zeros();
        private List<BigDecimal> paidBefore = zeros();

        private Running() {
        }

        /** One booked line per entitlement and payer, after every line booked before, in the entitlements' order. */
        List<DuePayout> book(List<Entitlement> lines) {
            List<DuePayout> booked = new ArrayList<>(lines.size() * payers.size());
            for (Entitlement line : lines) {
                exactPayable = exactPayable.add(line.payable());
                exactCapped = exactCapped.add(line.gross().subtract(line.payable()));
                BigDecimal total = round(exactPayable);
                BigDecimal cappedTotal = round(exactCapped);
                BigDecimal mechanismCapped = cappedTotal.subtract(cappedBefore);

                List<BigDecimal> shares = split.of(total);
                List<BigDecimal> payerCapped = payerCapped(shares);
                contractPoint = contractPoint(total, contractPoint);
                List<BigDecimal> paid = payerCapped(split.of(contractPoint));
                List<BigDecimal> mechanismCappedParts = split.of(mechanismCapped);

                for (int i = 0; i < payers.size(); i++) {
                    BondTerms.OutcomePayer payer = payers.get(i);
                    BigDecimal share = shares.get(i).subtract(sharesBefore.get(i));
                    BigDecimal afterPayerCap = payerCapped.get(i).subtract(payerCappedBefore.get(i));
                    BigDecimal payable = paid.get(i).subtract(paidBefore.get(i));
                    BigDecimal capped = mechanismCappedParts.get(i).add(share.subtract(payable));
                    booked.add(new DuePayout(line.causeKey() + ":" + Amounts.key(payer.id()), line.measurementId(),
                            line.metric(), line.cohortId(), line.participantRef(), payer.id(), payable.add(capped),
                            payable, capped, rule(line, payer, share, afterPayerCap, payable), line.termsVersion()));
                }
                cappedBefore = cappedTotal;
                sharesBefore = shares;
                payerCappedBefore = payerCapped;
                paidBefore = paid;
            }
            return booked;
        }
    }

    private String rule(Entitlement line, BondTerms.OutcomePayer payer, BigDecimal share, BigDecimal afterPayerCap,
                        BigDecimal payable) {
        StringBuilder rule = new StringBuilder(line.rule());
        if (payers.size() > 1) {
            rule.append("; ").append(payer.id()).append(" pays share ").append(Amounts.plain(payer.share()));
        }
        if (afterPayerCap.compareTo(share) < 0) {
            rule.append("; capped by ").append(payer.id()).append("'s commitment ")
                    .append(Amounts.money(currency, payer.cap()));
        }
        if (payable.compareTo(afterPayerCap) < 0) {
            rule.append("; capped by contract cap ").append(Amounts.money(currency, contractCap));
        }
        return rule.toString();
    }

    private List<BigDecimal> payerCapped(List<BigDecimal> shares) {
        List<BigDecimal> capped = new ArrayList<>(shares.size());
        for (int i = 0; i < shares.size(); i++) {
            BigDecimal cap = payerCaps.get(i);
            capped.add(cap == null ? shares.get(i) : shares.get(i).min(cap));
        }
        return capped;
    }

    private BigDecimal payersTotal(BigDecimal total) {
        return payerCapped(split.of(total)).stream().reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * The total at which the contract cap is reached, or {@code total} when it is not: the payers' capped total
     * rises by at most one minor unit per minor unit of T, so a binary search finds where it meets the cap exactly.
     */
    private BigDecimal contractPoint(BigDecimal total, BigDecimal previousPoint) {
        if (contractCap == null || payersTotal(total).compareTo(contractCap) <= 0) {
            return total;
        }
        if (payersTotal(previousPoint).compareTo(contractCap) >= 0) {
            return previousPoint;
        }
        BigInteger low = previousPoint.unscaledValue();
        BigInteger high = total.unscaledValue();
        while (low.compareTo(high) < 0) {
            BigInteger middle = low.add(high).shiftRight(1);
            if (payersTotal(new BigDecimal(middle, scale)).compareTo(contractCap) >= 0) {
                high = middle;
            } else {
                low = middle.add(BigInteger.ONE);
            }
        }
        return new BigDecimal(low, scale);
    }

    /** A cap with more decimals than the currency has (terms validation refuses those) binds at the unit below. */
    private BigDecimal floor(BigDecimal cap) {
        return cap == null ? null : cap.setScale(scale, RoundingMode.FLOOR);
    }

    private BigDecimal round(BigDecimal amount) {
        return amount.setScale(scale, RoundingMode.HALF_EVEN);
    }

    private BigDecimal zero() {
        return BigDecimal.ZERO.setScale(scale);
    }

    private List<BigDecimal> zeros() {
        return new ArrayList<>(Collections.nCopies(payers.size(), zero()));
    }
}
