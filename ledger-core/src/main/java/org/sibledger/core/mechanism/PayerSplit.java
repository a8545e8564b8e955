package org.sibledger.core.mechanism;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a booked amount among outcome payers by their shares, in minor units.
 *
 * <p>Invariants: the parts add up to the amount exactly (no minor unit is created or lost); each part never falls
 * when the amount rises, and rises by at most one minor unit per minor unit of the amount, so a cumulative total
 * can be split afresh at every step and every payer's difference is a payment, never a refund. Payer i takes
 * {@code remaining x share_i / (share_i + ... + share_n)} rounded half-even, and the last payer takes what is
 * left; each part stays within about one minor unit of its exact share.
 */
final class PayerSplit {

    private final List<BigDecimal> shares;
    private final int scale;

    PayerSplit(List<BigDecimal> shares, int scale) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("a payment needs at least one outcome payer");
        }
        for (BigDecimal share : shares) {
            if (share == null || share.signum() <= 0) {
                throw new IllegalArgumentException("every payer share must be positive, not " + share);
            }
        }
        this.shares = List.copyOf(shares);
        this.scale = scale;
    }

    List<BigDecimal> of(BigDecimal amount) {
        BigDecimal remaining = amount.setScale(scale, RoundingMode.UNNECESSARY);
        BigDecimal remainingShare = shares.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        List<BigDecimal> parts = new ArrayList<>(shares.size());
        for (int i = 0; i < shares.size(); i++) {
            BigDecimal share = shares.get(i);
            BigDecimal part = i == shares.size() - 1
                    ? remaining
                    : remaining.multiply(share).divide(remainingShare, scale, RoundingMode.HALF_EVEN);
            parts.add(part);
            remaining = remaining.subtract(part);
            remainingShare = remainingShare.subtract(share);
        }
        return parts;
    }
}
