package org.sibledger.api.rest;

import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.measurement.MeasurementPage;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.payout.LiabilitiesView;
import org.sibledger.contracts.performance.PerformanceView;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read models of API.md: a bond's performance, its measurements (the payers' queue, each evaluator's
 * submissions), its payers' liabilities, and an investor's portfolio. Each answer shows only what the principal may
 * see, as {@link Visibility} decides: a bond only to its parties, an evaluator only its own submissions, a payer only
 * its own liabilities, an investor only its own portfolio.
 */
@RestController
public class ReadModelController {

    /** The days an "as of" may name: every date of four-digit years (ISO 8601 without an expanded year). */

    private static final Set<String> MEASUREMENT_STATUSES = Set.of("SUBMITTED", "APPROVED", "REJECTED", "DISPUTED", "SUPERSEDED");

    private final Visibility visibility;

    public ReadModelController(Visibility visibility) {
        this.visibility = visibility;
    }

    @GetMapping("/api/bonds/{bondId}/performance")
    public PerformanceView performance(@PathVariable String bondId,
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate asOf,
                                       Authentication principal) {
        Paging.checkDate("asOf", asOf);
        return visibility.performance(bondId, asOf, principal);
    }

    @GetMapping("/api/bonds/{bondId}/measurements")
    public MeasurementPage measurements(@PathVariable String bondId, @RequestParam(required = false) String status,
                                        @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                                        Authentication principal) {
        Paging.check(page, size);
        if (status != null && !MEASUREMENT_STATUSES.contains(status)) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "status must be one of " + MEASUREMENT_STATUSES,
                    List.of(new CommandRefusedException.FieldViolation("status", "must be one of " + MEASUREMENT_STATUSES)))
                            .with("status", "must be one of " + MEASUREMENT_STATUSES);
        }
        return visibility.measurements(bondId, status, page, size, principal);
    }

    /** One measurement: its status, what it triggered; where a 202 for a submission points. */
    @GetMapping("/api/bonds/{bondId}/measurements/{measurementId}")
    public MeasurementView measurement(@PathVariable String bondId, @PathVariable String measurementId,
                                       Authentication principal) {
        return visibility.measurement(bondId, measurementId, principal);
    }

    @GetMapping("/api/bonds/{bondId}/liabilities")
    public LiabilitiesView liabilities(@PathVariable String bondId, Authentication principal) {
        return visibility.liabilities(bondId, principal);
    }

    /** An investor's positions, each with its money multiple and IRR (XIRR on its dated cash flows). */
    @GetMapping("/api/investors/{investorId}/portfolio")
    public Map<String, Object> portfolio(@PathVariable String investorId, Authentication principal) {
        PortfolioRecord record = visibility.portfolio(investorId, principal);
        List<Map<String, Object>> positions = Portfolios.positions(record);
        return JsonBodies.object("investorId", investorId, "positions", positions);
    }
}
