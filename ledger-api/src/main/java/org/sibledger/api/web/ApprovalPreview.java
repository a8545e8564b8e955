package org.sibledger.api.web;

import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Aggregate;
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
 * the bond is loaded from its events (and snapshot) and asked as its approval would decide, in a unit of work that is
 * rolled back, so nothing is recorded. Exact for every payment mechanism, and for the caps as they stand now.
 */
@Component
public class ApprovalPreview {

    private final org.axonframework.config.Configuration axon;

    public ApprovalPreview(org.axonframework.config.Configuration axon) {
        this.axon = axon;
    }

    /** The amount payable (all payers together) each measurement's approval would trigger today. */
    public Map<String, Money> of(String bondId, String currency, List<String> measurementIds) {
        Map<String, Money> preview = new LinkedHashMap<>();
        if (measurementIds.isEmpty()) {
            return preview;
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            Aggregate<Bond> bond = axon.repository(Bond.class).load(bondId);
            bond.execute(b -> {
                for (String id : measurementIds) {
                    BigDecimal payable = b.previewApproval(id, today).stream().map(DuePayout::payable)
                            .reduce(BigDecimal.ZERO, BigDecimal::add);
                    preview.put(id, new Money(payable, currency));
                }
            });
        } finally {
            unitOfWork.rollback();
        }
        return preview;
    }
}
