package org.sibledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.security.BondAccess;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.payout.LiabilitiesView;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome payer's pages: the queue of measurements waiting for its decision, each with what is claimed, its
 * evidence and the payout lines its approval would trigger after caps; a decision is confirmed on a page of its own,
 * with the amount and a reason; the payouts it owes are settled with a payment reference; and what it is liable for,
 * bond by bond and over time, with a forecast to each bond's end at the rate so far. Every action is the command the
 * API sends ({@code /api/bonds/{id}/measurements/{m}/decision}, {@code /payouts/{p}/settlement}).
 */
@Controller
public class PayerPages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BondAccess access;
    private final BondPages bonds;
    private final LedgerCommands commands;
    private final ApprovalPreview preview;
    private final Visibility visibility;
    private final Clock clock = Clock.systemUTC();
    private final RefusalWords refusals;

    public PayerPages(BondAccess access, BondPages bonds, LedgerCommands commands, ApprovalPreview preview,
                      Visibility visibility, RefusalWords refusals) {
        this.refusals = refusals;
        this.access = access;
        this.bonds = bonds;
        this.commands = commands;
        this.preview = preview;
        this.visibility = visibility;
    }

    /** What the payer is liable for on one bond, in the bond's currency; null figures where the terms set none. */
    public record Exposure(BondView bond, Money committed, Money triggered, Money settled, Money outstanding,
                           Money headroom, Money forecast) {
    }

    /**
     * What the payer is liable for across its bonds in one currency (an outcomes fund's view): each figure the sum of
     * its bonds', or null where a bond of that currency sets none (no cap, so no committed sum, headroom or limit).
     */
    public record ExposureTotal(String currency, int bonds, Money committed, Money triggered, Money settled,
                                Money outstanding, Money headroom, Money forecast) {
    }

    /** The exposures summed currency by currency, in the order the currencies first appear. */
    static List<ExposureTotal> totals(List<Exposure> exposures) {
        Map<String, List<Exposure>> byCurrency = new LinkedHashMap<>();
        for (Exposure x : exposures) {
            if (x.triggered() != null) {
                byCurrency.computeIfAbsent(x.bond().currency(), c -> new ArrayList<>()).add(x);
            }
        }
        List<ExposureTotal> totals = new ArrayList<>();
        byCurrency.forEach((currency, xs) -> totals.add(new ExposureTotal(currency, xs.size(),
                sum(xs, Exposure::committed, currency), sum(xs, Exposure::triggered, currency),
                sum(xs, Exposure::settled, currency), sum(xs, Exposure::outstanding, currency),
                sum(xs, Exposure::headroom, currency), sum(xs, Exposure::forecast, currency))));
        return totals;
    }

    private static Money sum(List<Exposure> exposures, java.util.function.Function<Exposure, Money> figure, String currency) {
        BigDecimal total = BigDecimal.ZERO;
        for (Exposure x : exposures) {
            Money m = figure.apply(x);
            if (m == null) {
                return null;
            }
            total = total.add(m.amount());
        }
        return new Money(total, currency);
    }

    @GetMapping("/app/payer")
    public String payer(Authentication principal, Model model) {
        List<Map<String, Object>> cards = new ArrayList<>();
        List<Exposure> exposures = new ArrayList<>();
        for (BondView bond : payerBonds(principal)) {
            Visibility.Viewer viewer = Visibility.viewer(bond, principal);
            List<MeasurementView> queue = visibility.measurements(viewer, "SUBMITTED", 0, 200).items();
            Map<String, ApprovalPreview.Preview> lines = preview.lines(bond.bondId(), bond.currency(),
                    queue.stream().map(MeasurementView::measurementId).toList());
            LiabilitiesView liabilities = visibility.liabilities(viewer);
            List<PayoutView> owed = visibility.payouts(viewer, 0, 500).items().stream()
                    .filter(p -> principal.getName().equals(p.payerId())).toList();
            Exposure exposure = exposure(bond, mine(liabilities, principal.getName()));
            exposures.add(exposure);
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("bond", bond);
            card.put("queue", queue);
            card.put("previews", lines);
            card.put("exposure", exposure);
            card.put("liabilities", liabilities);
            card.put("toSettle", owed.stream().filter(p -> "TRIGGERED".equals(p.status())
                    && p.amount() != null && p.amount().amount().signum() > 0).toList());
            card.put("liabilityChart", overTime(owed, bond.currency()));
            cards.add(card);
        }
        model.addAttribute("cards", cards);
        model.addAttribute("exposures", exposures);
        model.addAttribute("exposureTotals", totals(exposures));
        return "payer";
    }

    /** The confirmation step of a decision: what is claimed, what approving would pay, and a reason to give. */
    @GetMapping("/app/payer/bonds/{bondId}/measurements/{measurementId}/decision")
    public String confirm(@PathVariable String bondId, @PathVariable String measurementId, @RequestParam String decision,
                          Authentication principal, Model model, RedirectAttributes redirect) {
        BondView bond = payerBond(bondId, principal);
        Decision chosen = decision(decision);
        MeasurementView measurement = visibility.measurements(Visibility.viewer(bond, principal), "SUBMITTED", 0, 200)
                .items().stream().filter(m -> m.measurementId().equals(measurementId)).findFirst().orElse(null);
        if (chosen == null || measurement == null) {
            redirect.addFlashAttribute("problem", bonds.text(chosen == null ? "payer.unknownDecision" : "payer.notWaiting"));
            return "redirect:/app/payer";
        }
        model.addAttribute("bond", bond);
        model.addAttribute("m", measurement);
        model.addAttribute("decision", chosen.name());
        model.addAttribute("preview", preview.lines(bondId, bond.currency(), List.of(measurementId)).get(measurementId));
        return "payer-confirm";
    }

    @PostMapping("/app/payer/bonds/{bondId}/measurements/{measurementId}/decision")
    public String decide(@PathVariable String bondId, @PathVariable String measurementId, @RequestParam String decision,
                         @RequestParam(required = false) String reason, Authentication principal,
                         RedirectAttributes redirect) {
        Decision chosen = decision(decision);
        if (chosen == null) {
            redirect.addFlashAttribute("problem", bonds.text("payer.unknownDecision"));
            return "redirect:/app/payer";
        }
        if (reason == null || reason.isBlank()) {
            redirect.addFlashAttribute("problem", bonds.text("payer.reasonRequired"));
            return "redirect:" + UriComponentsBuilder.fromPath("/app/payer/bonds/{b}/measurements/{m}/decision")
                    .queryParam("decision", chosen.name()).buildAndExpand(bondId, measurementId).encode().toUriString();
        }
        try {
            // a payer the bond does not name is told what it would be told of a bond that does not exist
            access.hideFromNonParty(bondId, principal);
            commands.sendAndAwaitReadModels(new DecideOnMeasurementCommand(bondId, measurementId, chosen, reason.trim()),
                    principal.getName(), null);
            redirect.addFlashAttribute("notice", bonds.text("payer.decided", bonds.text("decision." + chosen.name()),
                    measurementId));
        } catch (CommandRefusedException e) {
            redirect.addFlashAttribute("problem", refusals.of(access.hideRefusal(bondId, principal, e)));
        }
        return "redirect:/app/payer";
    }

    /**
     * Settles the chosen payouts, one settlement command each, as the payer paid them. The payment reference is the
     * settlement's idempotency key (with the payout's id), so it is kept with the settlement on the bond's record and
     * sending the same settlement again records nothing twice.
     */
    @PostMapping("/app/payer/bonds/{bondId}/settlements")
    public String settle(@PathVariable String bondId, @RequestParam(name = "payoutId", required = false) List<String> payoutIds,
                         @RequestParam(required = false) String reference, Authentication principal,
                         RedirectAttributes redirect) {
        access.hideFromNonParty(bondId, principal);
        if (payoutIds == null || payoutIds.isEmpty()) {
            redirect.addFlashAttribute("problem", bonds.text("payer.settle.none"));
            return "redirect:/app/payer";
        }
        if (reference == null || reference.isBlank()) {
            redirect.addFlashAttribute("problem", bonds.text("payer.settle.referenceRequired"));
            return "redirect:/app/payer";
        }
        int settled = 0;
        List<String> refused = new ArrayList<>();
        for (String payoutId : payoutIds) {
            try {
                commands.sendAndAwaitReadModels(new SettlePayoutCommand(bondId, payoutId), principal.getName(),
                        "payment " + reference.trim() + " " + payoutId);
                settled++;
            } catch (CommandRefusedException e) {
                refused.add(RefusalWords.isolated(payoutId) + ": " + refusals.of(access.hideRefusal(bondId, principal, e)));
            }
        }
        if (settled > 0) {
            redirect.addFlashAttribute("notice", bonds.text("payer.settle.done", settled, reference.trim()));
        }
        if (!refused.isEmpty()) {
            redirect.addFlashAttribute("problem", String.join("; ", refused));
        }
        return "redirect:/app/payer";
    }

    // ---------------------------------------------------------------------------------------------- figures

    private List<BondView> payerBonds(Authentication principal) {
        return bonds.bondsOf(principal).stream().filter(b -> b.terms().parties().outcomePayers().stream()
                .anyMatch(p -> p.id().equals(principal.getName()))).toList();
    }

    private BondView payerBond(String bondId, Authentication principal) {
        BondView bond = access.requireParty(bondId, principal);
        if (bond.terms().parties().outcomePayers().stream().noneMatch(p -> p.id().equals(principal.getName()))) {
            throw BondAccess.unknownBond(bondId);
        }
        return bond;
    }

    private static Decision decision(String value) {
        for (Decision d : Decision.values()) {
            if (d.name().equals(value)) {
                return d;
            }
        }
        return null;
    }

    private static LiabilitiesView.PayerLiability mine(LiabilitiesView liabilities, String payerId) {
        if (liabilities == null) {
            return null;
        }
        return liabilities.payers().stream().filter(p -> payerId.equals(p.payerId())).findFirst()
                .orElse(liabilities.payers().isEmpty() ? null : liabilities.payers().get(0));
    }

    /**
     * Committed is the payer's own cap, else its share of the contract cap; triggered is all it has been asked to pay
     * (due, held and settled); the forecast carries what was triggered from the service start until today on at the
     * same daily rate to the last day outcomes count, and never above what is committed.
     */
    Exposure exposure(BondView bond, LiabilitiesView.PayerLiability mine) {
        String currency = bond.currency();
        if (mine == null) {
            return new Exposure(bond, null, null, null, null, null, null);
        }
        BondTerms terms = bond.terms();
        BigDecimal committed = mine.cap() != null ? mine.cap().amount()
                : terms.contractCap() == null || mine.share() == null ? null : terms.contractCap().multiply(mine.share());
        BigDecimal triggered = mine.due().amount().add(mine.held().amount()).add(mine.settled().amount());
        BigDecimal forecast = forecast(triggered, terms.serviceStart(), terms.outcomesUntil(), LocalDate.now(clock.withZone(ZoneOffset.UTC)),
                committed, currency);
        return new Exposure(bond, money(committed, currency), money(triggered, currency), mine.settled(),
                money(mine.due().amount().add(mine.held().amount()), currency), mine.headroom(), money(forecast, currency));
    }

    static BigDecimal forecast(BigDecimal triggered, LocalDate start, LocalDate end, LocalDate today, BigDecimal committed,
                               String currency) {
        if (start == null || end == null || !today.isAfter(start)) {
            return null;
        }
        long total = ChronoUnit.DAYS.between(start, end);
        long elapsed = ChronoUnit.DAYS.between(start, today.isBefore(end) ? today : end);
        if (elapsed <= 0 || total <= 0) {
            return triggered;
        }
        BigDecimal projected = triggered.multiply(BigDecimal.valueOf(total))
                .divide(BigDecimal.valueOf(elapsed), Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0),
                        RoundingMode.HALF_EVEN);
        return committed != null && projected.compareTo(committed) > 0 ? committed : projected;
    }

    private static Money money(BigDecimal amount, String currency) {
        return amount == null ? null : new Money(amount, currency);
    }

    /** Chart.js data: what the payer was asked to pay and what it settled, month by month, cumulated. */
    private String overTime(List<PayoutView> owed, String currency) {
        if (owed.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(chartOf(owed, bonds.text("payer.chart.triggered") + " (" + currency + ")",
                    bonds.text("payer.chart.settled") + " (" + currency + ")"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The chart of the payer's payouts: triggered and settled to date, every month from the first to the last with
     * none left out, so that the time axis is even (a quarter without a payout is as wide as one with).
     */
    static Map<String, Object> chartOf(List<PayoutView> owed, String triggeredLabel, String settledLabel) {
        TreeMap<java.time.YearMonth, BigDecimal[]> months = new TreeMap<>();
        for (PayoutView p : owed) {
            BigDecimal amount = p.amount() == null ? BigDecimal.ZERO : p.amount().amount();
            if (p.triggeredAt() != null) {
                BigDecimal[] sums = months.computeIfAbsent(month(p.triggeredAt()), m -> zeros());
                sums[0] = sums[0].add(amount);
            }
            if (p.settledAt() != null) {
                BigDecimal[] sums = months.computeIfAbsent(month(p.settledAt()), m -> zeros());
                sums[1] = sums[1].add(amount);
            }
        }
        List<String> labels = new ArrayList<>();
        List<BigDecimal> triggered = new ArrayList<>();
        List<BigDecimal> settled = new ArrayList<>();
        BigDecimal t = BigDecimal.ZERO;
        BigDecimal s = BigDecimal.ZERO;
        if (!months.isEmpty()) {
            for (java.time.YearMonth m = months.firstKey(); !m.isAfter(months.lastKey()); m = m.plusMonths(1)) {
                BigDecimal[] sums = months.getOrDefault(m, zeros());
                t = t.add(sums[0]);
                s = s.add(sums[1]);
                labels.add(m.toString());
                triggered.add(t);
                settled.add(s);
            }
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "line");
        spec.put("labels", labels);
        spec.put("datasets", List.of(
                Map.of("label", triggeredLabel, "data", triggered, "borderColor", "#0b57d0", "backgroundColor", "#0b57d0"),
                Map.of("label", settledLabel, "data", settled, "borderColor", "#0d652d", "backgroundColor", "#0d652d")));
        return spec;
    }

    private static java.time.YearMonth month(java.time.Instant instant) {
        return java.time.YearMonth.from(instant.atZone(ZoneOffset.UTC));
    }
    private static BigDecimal[] zeros() {
        return new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO};
    }
}
