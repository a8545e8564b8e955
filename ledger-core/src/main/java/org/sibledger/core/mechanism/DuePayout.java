package org.sibledger.core.mechanism;

import java.math.BigDecimal;

/**
 * One payment now due from one outcome payer.
 *
 * @param key           deterministic identity: the same facts always give the same key, so a payout is never
 *                      triggered twice for one cause
 * @param measurementId the approved measurement that caused it; null for a payment caused by maturity alone
 * @param metric        the metric paid for
 * @param cohortId      the cohort, where the mechanism works per cohort; else null
 * @param participantRef the participant, for rate-card claims; else null
 * @param payerId       the outcome payer who owes it
 * @param gross         what the rule would pay before any cap, in the bond's currency, exact
 * @param payable       what is due after caps, booked: rounded half-even to the currency's minor unit
 * @param capped        gross - payable: recorded, never silently dropped
 * @param rule          a sentence a payer can read: which rule and which caps produced the figure
 * @param termsVersion  the version of the terms that priced it: 1 as structured, one more per amendment
 */
public record DuePayout(String key, String measurementId, String metric, String cohortId, String participantRef,
                        String payerId, BigDecimal gross, BigDecimal payable, BigDecimal capped, String rule,
                        int termsVersion) {

    /** A line priced by the terms as structured. */
    public DuePayout(String key, String measurementId, String metric, String cohortId, String participantRef,
                     String payerId, BigDecimal gross, BigDecimal payable, BigDecimal capped, String rule) {
        this(key, measurementId, metric, cohortId, participantRef, payerId, gross, payable, capped, rule, 1);
    }
}
