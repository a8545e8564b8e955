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

    /** One line its approval would trigger: who owes what for which outcome, before and after caps, and the rule. */
    public record Line(String payerId, String metric, String cohortId, String participantRef, Money gross,
                       Money payable, Money capped, String rule) {
    }

    /** What each measurement's approval would trigger today: its lines and their total payable (all payers together). */
    public record Preview(List<Line> lines, Money total) {
    }

    /** The amount payable (all payers together) each measurement's approval would trigger today. */
    public Map<String, Money> of(String bondId, String currency, List<String> measurementIds) {
        Map<String, Money> totals = new LinkedHashMap<>();
        lines(bondId, currency, measurementIds).forEach((id, preview) -> totals.put(id, preview.total()));
        return totals;
    }

    /** Line by line, what each measurement's approval would trigger today. */
    public Map<String, Preview> lines(String bondId, String currency, List<String> measurementIds) {
        if (measurementIds.isEmpty()) {
            return new LinkedHashMap<>();
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return bonds.read(bondId, b -> {
            Map<String, Preview> preview = new LinkedHashMap<>();
            for (String id : measurementIds) {
                List<DuePayout> due = b.previewApproval(id, today);
                BigDecimal payable = due.stream().map(DuePayout::payable).reduce(BigDecimal.ZERO, BigDecimal::add);
                preview.put(id, new Preview(due.stream().map(d -> new Line(d.payerId(), d.metric(), d.cohortId(),
                        d.participantRef(), new Money(d.gross(), currency), new Money(d.payable(), currency),
                        new Money(d.capped(), currency), d.rule())).toList(), new Money(payable, currency)));
            }
            return preview;
        });
    }
}
