package org.sibledger.core.mechanism;

import java.math.BigDecimal;

/** What is left under one cap, granted first come, first served; a null cap never binds. */
final class Headroom {

    private final BigDecimal cap;
    private BigDecimal used = BigDecimal.ZERO;

    Headroom(BigDecimal cap) {
        this.cap = cap;
    }

    /** Grants as much of {@code amount} as the cap still allows and counts it as used. */
    BigDecimal grant(BigDecimal amount) {
        BigDecimal granted = cap == null ? amount : amount.min(cap.subtract(used).max(BigDecimal.ZERO));
        used = used.add(granted);
        return granted;
    }

    /** Gives back part of a grant that a later cap in the chain withheld. */
    void release(BigDecimal amount) {
        used = used.subtract(amount);
    }
}
