package org.sibledger.core.waterfall;

import java.math.BigDecimal;

/** A guarantor pays an investor part of the principal that outcome payments did not repay, under a rule. */
public record GuaranteePayment(String guarantorId, String guaranteeTrancheId, String investorId, String trancheId,
                               BigDecimal amount, String rule) {
}
