package org.sibledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.performance.PerformanceView;
import org.sibledger.core.bond.InvestorStanding;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The investor's page: a summary across its bonds ({@link InvestorStatement}: committed, called, funded, received,
 * multiple and IRR, expected against actual outcome payments) and per bond its outcomes and payouts month by month,
 * outcomes by when they were achieved, with what the investor received, and its commitments and capital calls with
 * the forms to commit, increase, withdraw and fund ({@link InvestorFundingPages}). Every read goes through
 * {@link Visibility}.
 */
@Controller
public class InvestorPages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BondPages bonds;
    private final Visibility visibility;

    public InvestorPages(BondPages bonds, Visibility visibility) {
        this.bonds = bonds;
        this.visibility = visibility;
    }

    @GetMapping("/app/investor")
    public String investor(Authentication principal, Model model) {
        PortfolioRecord portfolio = visibility.portfolio(principal.getName(), principal);
        Map<String, BondView> mine = new LinkedHashMap<>();
        Map<String, PerformanceView> performance = new LinkedHashMap<>();
        List<Map<String, Object>> cards = new ArrayList<>();
        for (BondView bond : bonds.bondsOf(principal)) {
            Visibility.Viewer viewer = Visibility.viewer(bond, principal);
            if (!viewer.is(Visibility.PartyKind.INVESTOR)) {
                continue;
            }
            mine.put(bond.bondId(), bond);
            performance.put(bond.bondId(), visibility.performance(viewer, null));
        }
        InvestorStatement statement = InvestorStatement.of(principal.getName(), portfolio, mine, performance);
        for (BondView bond : mine.values()) {
            PerformanceView view = performance.get(bond.bondId());
            List<InvestorStatement.Line> lines = statement.lines().stream()
                    .filter(l -> l.bondId().equals(bond.bondId())).toList();
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("bond", bond);
            card.put("performance", view);
            card.put("lines", lines);
            card.put("chart", chart(view, lines));
            card.put("payouts", visibility.payouts(Visibility.viewer(bond, principal), 0, 200));
            // what it may commit, increase, withdraw and fund: its own standing on the bond (InvestorFundingPages)
            InvestorStanding standing = visibility.standing(Visibility.viewer(bond, principal));
            List<String> committed = standing.commitments().stream().map(InvestorStanding.Commitment::tranche).toList();
            card.put("standing", standing);
            card.put("committed", committed);
            card.put("offered", bond.terms().investorTerms() == null ? List.of() : bond.terms().investorTerms().tranches()
                    .stream().map(t -> t.id()).filter(t -> !committed.contains(t)).toList());
            cards.add(card);
        }
        model.addAttribute("statement", statement);
        model.addAttribute("cards", cards);
        return "investor";
    }

    /**
     * Chart.js data for a bond, month by month with no month left out: outcomes approved in the month they were
     * achieved (bars, units, start axis), and to date the payouts they triggered, what the payers settled and what the
     * investor received (lines, money, end axis). The lines are drawn over the bars (a lower {@code order}) and the
     * bars are see-through, so no line hides behind a bar.
     */
    String chart(PerformanceView performance, List<InvestorStatement.Line> lines) {
        TreeMap<YearMonth, BigDecimal[]> months = new TreeMap<>();
        for (PerformanceView.MonthLine month : performance.months()) {
            BigDecimal[] figures = months.computeIfAbsent(YearMonth.parse(month.month()), m -> zeros());
            figures[0] = figures[0].add(month.figures().approved());
            figures[1] = figures[1].add(month.figures().triggered().amount());
            figures[2] = figures[2].add(month.figures().settled().amount());
        }
        for (InvestorStatement.Line line : lines) {
            InvestorStatement.received(line.cashFlows()).forEach((LocalDate day, BigDecimal amount) -> {
                BigDecimal[] figures = months.computeIfAbsent(YearMonth.from(day), m -> zeros());
                figures[3] = figures[3].add(amount);
            });
        }
        List<String> labels = new ArrayList<>();
        List<Object> approved = new ArrayList<>();
        List<Object> triggered = new ArrayList<>();
        List<Object> settled = new ArrayList<>();
        List<Object> received = new ArrayList<>();
        if (!months.isEmpty()) {
            BigDecimal[] soFar = zeros();
            for (YearMonth m = months.firstKey(); !m.isAfter(months.lastKey()); m = m.plusMonths(1)) {
                BigDecimal[] figures = months.getOrDefault(m, zeros());
                for (int i = 1; i < 4; i++) {
                    soFar[i] = soFar[i].add(figures[i]);
                }
                labels.add(m.toString());
                approved.add(figures[0]);
                triggered.add(soFar[1]);
                settled.add(soFar[2]);
                received.add(soFar[3]);
            }
        }
        String currency = " (" + performance.currency() + ")";
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "line");
        spec.put("labels", labels);
        spec.put("datasets", List.of(
                dataset("bar", bonds.text("investor.chart.approved"), approved, "y", "rgba(13, 101, 45, 0.45)", 3),
                dataset("line", bonds.text("chart.triggered") + currency, triggered, "money", "#0b57d0", 0),
                dataset("line", bonds.text("chart.settled") + currency, settled, "money", "#a50e0e", 1),
                dataset("line", bonds.text("investor.chart.received") + currency, received, "money", "#7a4b00", 2)));
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> dataset(String type, String label, List<Object> data, String axis, String colour,
                                               int order) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("type", type);
        dataset.put("label", label);
        dataset.put("data", data);
        dataset.put("yAxisID", axis);
        dataset.put("order", order);
        dataset.put("backgroundColor", colour);
        if (type.equals("line")) {
            dataset.put("borderColor", colour);
            dataset.put("borderWidth", 2);
            dataset.put("pointRadius", 2);
        }
        return dataset;
    }

    private static BigDecimal[] zeros() {
        return new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    }
}
