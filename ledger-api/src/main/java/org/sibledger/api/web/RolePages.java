package org.sibledger.api.web;

import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.Portfolios;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.performance.PerformanceView;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The investor's and the arranger's pages (the payer's are {@link PayerPages}, the evaluator's {@link EvaluatorPages}).
 * Every read goes through the same one place as the API ({@link Visibility}) and every action through the same
 * commands, so a page shows and does only what the principal may: an investor sees its own positions.
 */
@Controller
public class RolePages {

    private final BondPages bonds;
    private final LedgerCommands commands;
    private final TermsDocumentReader termsReader;
    private final Visibility visibility;

    public RolePages(BondPages bonds, LedgerCommands commands, TermsDocumentReader termsReader, Visibility visibility) {
        this.visibility = visibility;
        this.bonds = bonds;
        this.commands = commands;
        this.termsReader = termsReader;
    }

    // ------------------------------------------------------------------------------------------------ investor

    @GetMapping("/app/investor")
    public String investor(Authentication principal, Model model) {
        PortfolioRecord portfolio = visibility.portfolio(principal.getName(), principal);
        List<Map<String, Object>> positions = Portfolios.positions(portfolio);
        List<Map<String, Object>> cards = new ArrayList<>();
        for (BondView bond : bonds.bondsOf(principal)) {
            Visibility.Viewer viewer = Visibility.viewer(bond, principal);
            PerformanceView performance = visibility.performance(viewer, null);
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("bond", bond);
            card.put("performance", performance);
            card.put("chart", bonds.chart(performance));
            card.put("payouts", visibility.payouts(viewer, 0, 200));
            card.put("positions", positions.stream().filter(p -> bond.bondId().equals(p.get("bondId"))).toList());
            cards.add(card);
        }
        model.addAttribute("cards", cards);
        return "investor";
    }

    // ------------------------------------------------------------------------------------------------ arranger

    @GetMapping("/app/arranger")
    public String arranger(Authentication principal, Model model) {
        model.addAttribute("bonds", bonds.bondsOf(principal));
        return "arranger";
    }

    @PostMapping("/app/arranger/bonds")
    public String structure(@RequestParam(required = false) String terms,
                            @RequestParam(value = "file", required = false) MultipartFile file,
                            Authentication principal, RedirectAttributes redirect) throws IOException {
        String document = file != null && !file.isEmpty() ? new String(file.getBytes(), StandardCharsets.UTF_8) : terms;
        try {
            BondTerms parsed = termsReader.read(document);
            commands.sendAndAwaitReadModels(new StructureBondCommand(parsed.bondId(), parsed), principal.getName(), null);
            redirect.addFlashAttribute("notice", bonds.text("arranger.structured", parsed.bondId()));
        } catch (CommandRefusedException e) {
            redirect.addFlashAttribute("problem", e.getMessage() + (e.violations().isEmpty() ? ""
                    : " " + e.violations().stream().map(v -> v.pointer() + ": " + v.message()).toList()));
            redirect.addFlashAttribute("terms", document);
        }
        return "redirect:/app/arranger";
    }

}
