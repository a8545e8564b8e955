package org.sibledger.core.mechanism;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a bond knows, beyond its terms and approved measurements, that pricing depends on.
 *
 * @param cohortSizes    cohort id -> number of people in it (threshold mechanisms scale to it)
 * @param fundedCapital  principal investors have funded so far (share-of-savings switches once it is repaid)
 * @param matured        whether the bond has matured (end-of-term payments, such as a pooled threshold test)
 */
public record PricingFacts(Map<String, Integer> cohortSizes, BigDecimal fundedCapital, boolean matured) {
    public PricingFacts {
        cohortSizes = cohortSizes == null ? Map.of() : Map.copyOf(cohortSizes);
        fundedCapital = fundedCapital == null ? BigDecimal.ZERO : fundedCapital;
    }
}
