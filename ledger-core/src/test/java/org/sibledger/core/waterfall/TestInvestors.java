package org.sibledger.core.waterfall;

import org.sibledger.contracts.bond.BondTerms.InvestorTerms;
import org.sibledger.contracts.bond.BondTerms.InvestorTerms.ExcessTo;
import org.sibledger.contracts.bond.BondTerms.Tranche;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Terms and positions for waterfall tests; the one place that knows the contracts' constructors. */
final class TestInvestors {

    private TestInvestors() {
    }

    static BigDecimal dec(String value) {
        return value == null ? null : new BigDecimal(value);
    }

    static LocalDate day(String date) {
        return LocalDate.parse(date);
    }

    static Tranche tranche(String id, int rank, String capIrr) {
        return new Tranche(id, rank, dec(capIrr));
    }

    static Tranche guarantee(String id, int rank, String share, String... guaranteed) {
        return new Tranche(id, rank, null, Tranche.Kind.GUARANTEE, dec(share), List.of(guaranteed));
    }

    static InvestorTerms terms(ExcessTo excessTo, Tranche... tranches) {
        return new InvestorTerms(Arrays.asList(tranches), excessTo, false);
    }

    /** A position that funded {@code amount} on {@code date} and has had nothing back. */
    static InvestorPosition funded(String investor, String tranche, String amount, String date) {
        return InvestorPosition.open(investor, tranche).committed(dec(amount)).called(dec(amount))
                .funded(day(date), dec(amount));
    }

    /** A guarantor's position: committed, nothing called. */
    static InvestorPosition committed(String investor, String tranche, String amount) {
        return InvestorPosition.open(investor, tranche).committed(dec(amount));
    }

    static BigDecimal sumAllocated(Distribution d) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Allocation a : d.allocations()) {
            sum = sum.add(a.total());
        }
        return sum;
    }

    /** All cash flows of the positions in one tranche, as one investor holding the whole tranche would see them. */
    static List<CashFlow> trancheFlows(List<InvestorPosition> positions, String trancheId) {
        List<CashFlow> flows = new ArrayList<>();
        positions.stream().filter(p -> p.trancheId().equals(trancheId)).forEach(p -> flows.addAll(p.cashFlows()));
        return flows;
    }
}
