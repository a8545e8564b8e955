package org.sibledger.contracts.payout;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/**
 * A payout became due from an outcome payer, with the measurement and rule that caused it; amounts after caps. A
 * negative payable is a credit: what the payer settled above what is now due, set off against its next payout.
 * {@code termsVersion} names the version of the terms that priced it (1 for the terms as structured, then one more
 * per amendment); absent on payouts recorded before versions were named.
 */
@Revision("1")
public record PayoutTriggeredEvent(String bondId, String payoutId, String measurementId, String payerId, String metric,
                                   String cohortId, String participantRef, BigDecimal gross, BigDecimal payable,
                                   BigDecimal capped, String rule, Integer termsVersion) {
    public PayoutTriggeredEvent(String bondId, String payoutId, String measurementId, String payerId, String metric,
                                String cohortId, String participantRef, BigDecimal gross, BigDecimal payable,
                                BigDecimal capped, String rule) {
        this(bondId, payoutId, measurementId, payerId, metric, cohortId, participantRef, gross, payable, capped, rule,
                null);
    }
}
