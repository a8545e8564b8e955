package org.sibledger.core.bond;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One investor's own part of a bond, as the bond holds it: its commitment in each tranche (with what of it was called
 * and funded), its share of each capital call (due, funded, outstanding), and whether the bond takes commitments and
 * withdrawals now. Nothing of any other investor is in it; what the investor's pages offer to do is read from it.
 */
public record InvestorStanding(String investorId, List<Commitment> commitments, List<CallShare> calls,
                               boolean commitmentsOpen, boolean withdrawalsOpen) {

    public InvestorStanding {
        commitments = List.copyOf(commitments);
        calls = List.copyOf(calls);
    }

    /** The investor's position in one tranche. */
    public record Commitment(String tranche, BigDecimal committed, BigDecimal called, BigDecimal funded) {
    }

    /** The investor's share of one capital call, over every tranche it was called in. */
    public record CallShare(String callId, LocalDate dueDate, BigDecimal due, BigDecimal funded) {

        public BigDecimal outstanding() {
            return due.subtract(funded);
        }

        public boolean open() {
            return outstanding().signum() > 0;
        }
    }

    /** The calls with something still to fund, in the order they were made. */
    public List<CallShare> openCalls() {
        return calls.stream().filter(CallShare::open).toList();
    }
}
