package org.sibledger.api.rest;

import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.core.waterfall.CashFlow;
import org.sibledger.core.waterfall.MoneyMultiple;
import org.sibledger.core.waterfall.Xirr;
import org.sibledger.projections.common.StoredMoney;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An investor's positions as the API and the pages show them: the read model's sums as money, and the money
 * multiple (received / paid in) and IRR (XIRR on the dated cash flows) computed with ledger-core's functions.
 */
public final class Portfolios {

    private Portfolios() {
    }

    public static List<Map<String, Object>> positions(PortfolioRecord record) {
        List<Map<String, Object>> positions = new ArrayList<>();
        for (PortfolioRecord.Position p : record.positions()) {
            String currency = p.currency();
            BigDecimal paidIn = p.funded().add(p.guaranteePaid());
            BigDecimal received = p.distributedPrincipal().add(p.distributedReturn()).add(p.guaranteeReceived());
            Map<String, Object> position = new LinkedHashMap<>();
            position.put("bondId", p.bondId());
            position.put("bondName", p.bondName());
            position.put("tranche", p.tranche());
            position.put("committed", StoredMoney.of(p.committed(), currency));
            position.put("called", StoredMoney.of(p.called(), currency));
            position.put("funded", StoredMoney.of(p.funded(), currency));
            position.put("distributed", StoredMoney.of(p.distributedPrincipal().add(p.distributedReturn()), currency));
            position.put("distributedPrincipal", StoredMoney.of(p.distributedPrincipal(), currency));
            position.put("distributedReturn", StoredMoney.of(p.distributedReturn(), currency));
            position.put("guaranteeReceived", StoredMoney.of(p.guaranteeReceived(), currency));
            position.put("guaranteePaid", StoredMoney.of(p.guaranteePaid(), currency));
            position.put("multiple", MoneyMultiple.of(paidIn, received).map(BigDecimal::toPlainString).orElse(null));
            position.put("irr", Xirr.of(p.cashFlows().stream().map(f -> new CashFlow(f.date(), f.amount())).toList())
                    .map(rate -> rate.setScale(6, RoundingMode.HALF_EVEN).toPlainString()).orElse(null));
            position.put("cashFlows", p.cashFlows().stream()
                    .map(f -> JsonBodies.object("date", f.date().toString(), "amount", StoredMoney.of(f.amount(), currency))).toList());
            positions.add(position);
        }
        return positions;
    }
}
