package org.sibledger.contracts.investment;

import java.math.BigDecimal;

/** One guarantor's payment to one guaranteed position, and the rule that gave it. */
public record GuaranteePaymentLine(String guarantorId, String guaranteeTranche, String investorId, String tranche,
                                   BigDecimal amount, String rule) {
}
