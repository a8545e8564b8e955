package org.sibledger.api.web;

import org.sibledger.api.command.BondReader;
import org.sibledger.contracts.common.Money;
import org.sibledger.core.bond.Bond;
import org.sibledger.core.mechanism.DuePayout;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What approving each waiting measurement would trigger, after every cap, for the payer to see before deciding:
 * the bond is asked ({@link BondReader}) as its approval would decide, so nothing is recorded. Exact for every
 * payment mechanism, and for the caps as they stand now.
 */
@Component
public class ApprovalPreview {

    private final BondReader bonds;

    public ApprovalPreview(BondReader bonds) {
        this.bonds = bonds;
    }

    /** The amount payable (all payers together) each measurement's approval would trigger today. */
    public Map<String, Money> of(String bondId, String currency, List<String> measurementIds) {
        if (measurementIds.isEmpty()) {
            return new LinkedHashMap<>();
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return bonds.read(bondId, b -> {
            Map<String, Money> preview = new LinkedHashMap<>();
            for (String id : measurementIds) {
                BigDecimal payable = b.previewApproval(id, today).stream().map(DuePayout::payable)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                preview.put(id, new Money(payable, currency));
            }
            return preview;
        });
    }
}
