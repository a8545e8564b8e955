package org.sibledger.core.mechanism;

import java.math.BigDecimal;

/**
 * What one cause adds to a mechanism's cumulative entitlement, before it is booked, split among payers and held to
 * payer and contract caps.
 *
 * @param causeKey      deterministic identity of the cause, without the payer
 * @param gross         what the rule pays before any cap, exact
 * @param payable       what is left after the mechanism's own caps (participant, metric, mechanism cap), exact
 * @param rule          the mechanism's sentence: which rule and which of its own caps produced the figure
 * @param termsVersion  the version of the terms that priced it ({@link TermsHistory})
 */
record Entitlement(String causeKey, String measurementId, String metric, String cohortId, String participantRef,
                   BigDecimal gross, BigDecimal payable, String rule, int termsVersion) {

    Entitlement(String causeKey, String measurementId, String metric, String cohortId, String participantRef,
                BigDecimal gross, BigDecimal payable, String rule) {
        this(causeKey, measurementId, metric, cohortId, participantRef, gross, payable, rule, 1);
    }

    Entitlement {
        if (payable.signum() < 0 || gross.compareTo(payable) < 0) {
            throw new IllegalStateException("an entitlement pays 0 to gross, not " + payable + " of " + gross);
        }
    }
}
