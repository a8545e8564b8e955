package org.sibledger.contracts.payout;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.util.List;

/**
 * Each outcome payer's liabilities on a bond: approved and due but not settled, held while disputed, settled, and
 * the headroom left under its own cap; and the contract cap's headroom over all payers.
 */
public record LiabilitiesView(String bondId, String currency, List<PayerLiability> payers, Money contractCap,
                              Money contractUsed, Money contractHeadroom) {

    public LiabilitiesView {
        payers = List.copyOf(payers);
    }

    public record PayerLiability(String payerId, BigDecimal share, Money due, Money held, Money settled, Money cap,
                                 Money headroom) {
    }
}
