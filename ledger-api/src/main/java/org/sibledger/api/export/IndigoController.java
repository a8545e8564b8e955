package org.sibledger.api.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.investment.FindPortfolioQuery;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.payout.ListPayoutsQuery;
import org.sibledger.contracts.payout.PayoutPage;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.contracts.performance.FindPerformanceQuery;
import org.sibledger.contracts.performance.PerformanceView;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** GET /api/bonds/{bondId}/export/indigo: the bond as an INDIGO project document, for its arranger (or an admin). */
@RestController
public class IndigoController {

    private static final int PAGE = 500;

    private final QueryGateway queries;
    private final Visibility visibility;

    public IndigoController(QueryGateway queries, Visibility visibility) {
        this.queries = queries;
        this.visibility = visibility;
    }

    @GetMapping("/api/bonds/{bondId}/export/indigo")
    public ObjectNode export(@PathVariable String bondId, Authentication principal) {
        BondView bond = visibility.export(bondId, principal);
        List<PayoutView> payouts = new ArrayList<>();
        for (int page = 0; ; page++) {
            PayoutPage batch = queries.query(new ListPayoutsQuery(bondId, page, PAGE), PayoutPage.class).join();
            payouts.addAll(batch.items());
            if (batch.items().size() < PAGE) {
                break;
            }
        }
        PerformanceView performance = queries.query(new FindPerformanceQuery(bondId, null),
                ResponseTypes.optionalInstanceOf(PerformanceView.class)).join().orElseThrow();
        Set<String> investors = new LinkedHashSet<>(bond.terms().parties().investors());
        List<PortfolioRecord> portfolios = new ArrayList<>();
        for (String investor : investors) {
            portfolios.add(queries.query(new FindPortfolioQuery(investor), PortfolioRecord.class).join());
        }
        return IndigoExport.of(bond, payouts, performance, portfolios, LocalDate.now(ZoneOffset.UTC));
    }
}
