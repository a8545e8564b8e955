package org.sibledger.api.rest;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.security.BondAccess;
import org.sibledger.api.security.Principals;
import org.sibledger.api.security.Role;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.FindPortfolioQuery;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.measurement.FindMeasurementQuery;
import org.sibledger.contracts.measurement.ListMeasurementsQuery;
import org.sibledger.contracts.measurement.MeasurementPage;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.payout.FindLiabilitiesQuery;
import org.sibledger.contracts.payout.LiabilitiesView;
import org.sibledger.contracts.performance.FindPerformanceQuery;
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
 * see: a bond only to its parties, an evaluator only its own submissions, a payer only its own liabilities, an
 * investor only its own portfolio.
 */
@RestController
public class ReadModelController {

    /** The days an "as of" may name: every date of four-digit years (ISO 8601 without an expanded year). */

    private static final Set<String> MEASUREMENT_STATUSES = Set.of("SUBMITTED", "APPROVED", "REJECTED", "DISPUTED", "SUPERSEDED");

    private final QueryGateway queries;
    private final BondAccess access;

    public ReadModelController(QueryGateway queries, BondAccess access) {
        this.queries = queries;
        this.access = access;
    }

    @GetMapping("/api/bonds/{bondId}/performance")
    public PerformanceView performance(@PathVariable String bondId,
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate asOf,
                                       Authentication principal) {
        Paging.checkDate("asOf", asOf);
        access.requireParty(bondId, principal);
        return queries.query(new FindPerformanceQuery(bondId, asOf), ResponseTypes.optionalInstanceOf(PerformanceView.class))
                .join().orElseThrow(() -> unknownBond(bondId));
    }

    @GetMapping("/api/bonds/{bondId}/measurements")
    public MeasurementPage measurements(@PathVariable String bondId, @RequestParam(required = false) String status,
                                        @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                                        Authentication principal) {
        Paging.check(page, size);
        if (status != null && !MEASUREMENT_STATUSES.contains(status)) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "status must be one of " + MEASUREMENT_STATUSES,
                    List.of(new CommandRefusedException.FieldViolation("status", "must be one of " + MEASUREMENT_STATUSES)));
        }
        String evaluator = measurementReader(bondId, principal);
        return queries.query(new ListMeasurementsQuery(bondId, status, evaluator, page, size), MeasurementPage.class).join();
    }

    /** One measurement: its status, what it triggered; where a 202 for a submission points. */
    @GetMapping("/api/bonds/{bondId}/measurements/{measurementId}")
    public MeasurementView measurement(@PathVariable String bondId, @PathVariable String measurementId,
                                       Authentication principal) {
        String evaluator = measurementReader(bondId, principal);
        return queries.query(new FindMeasurementQuery(bondId, measurementId),
                        ResponseTypes.optionalInstanceOf(MeasurementView.class)).join()
                .filter(m -> evaluator == null || evaluator.equals(m.evaluatorId()))
                .orElseThrow(() -> new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND,
                        "unknown-measurement", "No measurement '" + measurementId + "' on bond '" + bondId + "'"));
    }

    /**
     * Who reads a bond's measurements: its arranger, payers and reviewers see all (null), an evaluator it names only its own
     * (its id); anyone else is refused.
     */
    private String measurementReader(String bondId, Authentication principal) {
        BondTerms terms = access.requireParty(bondId, principal).terms();
        String me = principal.getName();
        boolean seesAll = Principals.isAdmin(principal)
                || (Principals.hasRole(principal, Role.ARRANGER) && me.equals(terms.parties().arranger()))
                || (Principals.hasRole(principal, Role.OUTCOME_PAYER)
                    && terms.parties().outcomePayers().stream().anyMatch(p -> p.id().equals(me)))
                || (Principals.hasRole(principal, Role.REVIEWER) && terms.parties().reviewers().contains(me));
        if (seesAll) {
            return null;
        }
        if (Principals.hasRole(principal, Role.EVALUATOR) && terms.parties().evaluators().contains(me)) {
            return me;
        }
        throw forbidden("not-a-verifier", "Only the bond's arranger, outcome payers, reviewers and evaluators see its measurements");
    }

    @GetMapping("/api/bonds/{bondId}/liabilities")
    public LiabilitiesView liabilities(@PathVariable String bondId, Authentication principal) {
        BondView bond = access.requireParty(bondId, principal);
        String me = principal.getName();
        boolean all = Principals.isAdmin(principal)
                || (Principals.hasRole(principal, Role.ARRANGER) && me.equals(bond.terms().parties().arranger()));
        boolean payer = Principals.hasRole(principal, Role.OUTCOME_PAYER)
                && bond.terms().parties().outcomePayers().stream().anyMatch(p -> p.id().equals(me));
        if (!all && !payer) {
            throw forbidden("not-a-payer", "Only the bond's arranger and outcome payers see its liabilities");
        }
        return queries.query(new FindLiabilitiesQuery(bondId, all ? null : me),
                ResponseTypes.optionalInstanceOf(LiabilitiesView.class)).join().orElseThrow(() -> unknownBond(bondId));
    }

    /** An investor's positions, each with its money multiple and IRR (XIRR on its dated cash flows). */
    @GetMapping("/api/investors/{investorId}/portfolio")
    public Map<String, Object> portfolio(@PathVariable String investorId, Authentication principal) {
        if (!Principals.isAdmin(principal) && !principal.getName().equals(investorId)) {
            throw forbidden("not-your-portfolio", "An investor sees only its own positions");
        }
        PortfolioRecord record = queries.query(new FindPortfolioQuery(investorId), PortfolioRecord.class).join();
        List<Map<String, Object>> positions = Portfolios.positions(record);
        return JsonBodies.object("investorId", investorId, "positions", positions);
    }

    private static CommandRefusedException unknownBond(String bondId) {
        return BondAccess.unknownBond(bondId);
    }

    private static CommandRefusedException forbidden(String code, String detail) {
        return new CommandRefusedException(CommandRefusedException.Kind.FORBIDDEN, code, detail);
    }
}
