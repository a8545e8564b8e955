package org.sibledger.contracts.payout;

import org.sibledger.contracts.common.Money;

import java.time.Instant;

/** A payout as the payouts read model shows it: amounts after caps, with the measurement and rule behind it. */
public record PayoutView(String payoutId, String bondId, String measurementId, String payerId, String metric,
                         String cohortId, String participantRef, Money gross, Money amount, Money capped, String rule,
                         String status, Instant triggeredAt, Instant settledAt, Integer termsVersion) {

    public PayoutView(String payoutId, String bondId, String measurementId, String payerId, String metric,
                      String cohortId, String participantRef, Money gross, Money amount, Money capped, String rule,
                      String status, Instant triggeredAt, Instant settledAt) {
        this(payoutId, bondId, measurementId, payerId, metric, cohortId, participantRef, gross, amount, capped, rule,
                status, triggeredAt, settledAt, null);
    }
}
