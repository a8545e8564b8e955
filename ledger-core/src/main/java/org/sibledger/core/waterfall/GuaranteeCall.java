package org.sibledger.core.waterfall;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What the guarantees pay at maturity: each guarantor's payment to each investor, the principal shortfall of the
 * guaranteed positions before the call, and what of it no guarantee covers ({@code shortfall = paid + uncovered}).
 */
public record GuaranteeCall(List<GuaranteePayment> payments, BigDecimal shortfall, BigDecimal uncovered) {

    public GuaranteeCall {
        payments = List.copyOf(payments);
    }

    public BigDecimal total() {
        return payments.stream().map(GuaranteePayment::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * The positions after the call, in the same order: an investor receives principal back; a guarantor's payment
     * is called and funded on its guarantee position, so that it ranks for recovery in later distributions.
     */
    public List<InvestorPosition> applyTo(List<InvestorPosition> positions, LocalDate date) {
        List<InvestorPosition> out = new ArrayList<>(positions.size());
        for (InvestorPosition position : positions) {
            InvestorPosition next = position;
            for (GuaranteePayment payment : payments) {
                if (payment.investorId().equals(position.investorId())
                        && payment.trancheId().equals(position.trancheId())) {
                    next = next.distributed(date, payment.amount(), BigDecimal.ZERO);
                }
                if (payment.guarantorId().equals(position.investorId())
                        && payment.guaranteeTrancheId().equals(position.trancheId())) {
                    next = next.called(payment.amount()).funded(date, payment.amount());
                }
            }
            out.add(next);
        }
        return out;
    }
}
