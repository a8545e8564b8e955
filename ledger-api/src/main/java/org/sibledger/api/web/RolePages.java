package org.sibledger.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.MeasurementSubmissions;
import org.sibledger.api.rest.Portfolios;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.api.security.BondAccess;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementPage;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.performance.PerformanceView;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
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
import java.util.UUID;

/**
 * The pages of each role. Every read goes through the same one place as the API ({@link Visibility}) and every action through
 * the same commands, so a page shows and does only what the principal may: an investor sees its own positions, a
 * payer its own queue and liabilities, an evaluator its own submissions.
 */
@Controller
public class RolePages {

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final BondAccess access;
    private final BondPages bonds;
    private final LedgerCommands commands;
    private final TermsDocumentReader termsReader;
    private final ClaimsCsv claimsCsv;
    private final Visibility visibility;

    public RolePages(BondAccess access, BondPages bonds, LedgerCommands commands,
                     TermsDocumentReader termsReader, ClaimsCsv claimsCsv,
                     Visibility visibility) {
        this.visibility = visibility;
        this.access = access;
        this.bonds = bonds;
        this.commands = commands;
        this.termsReader = termsReader;
        this.claimsCsv = claimsCsv;
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

    // ----------------------------------------------------------------------------------------------- evaluator

    @GetMapping("/app/evaluator")
    public String evaluator(Authentication principal, Model model) {
        List<Map<String, Object>> cards = new ArrayList<>();
        for (BondView bond : bonds.bondsOf(principal)) {
            if (!bond.terms().parties().evaluators().contains(principal.getName())) {
                continue;
            }
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("bond", bond);
            card.put("submissions", visibility.measurements(Visibility.viewer(bond, principal), null, 0, 200).items());
            cards.add(card);
        }
        model.addAttribute("cards", cards);
        return "evaluator";
    }

    /** Outcome claims from a CSV file: every row checked first, every bad row reported, and nothing recorded if any. */
    @PostMapping("/app/evaluator/bonds/{bondId}/claims")
    public String uploadClaims(@PathVariable String bondId, @RequestParam("file") MultipartFile file,
                               @RequestParam String evidenceRef, Authentication principal, RedirectAttributes redirect)
            throws IOException {
        BondView bond = access.requireParty(bondId, principal);
        ClaimsCsv.Result result = claimsCsv.read(bond, new String(file.getBytes(), StandardCharsets.UTF_8));
        if (!result.errors().isEmpty()) {
            redirect.addFlashAttribute("rowErrors", result.errors());
            return "redirect:/app/evaluator";
        }
        String measurementId = "m-" + UUID.randomUUID();
        try {
            commands.sendAndAwaitReadModels(new SubmitMeasurementCommand(bondId, measurementId,
                    new Measurement.OutcomeClaims(result.claims()), evidenceRef, null), principal.getName(),
                    "csv-" + measurementId);
            redirect.addFlashAttribute("notice", bonds.text("evaluator.accepted", result.claims().size(), measurementId));
        } catch (CommandRefusedException e) {
            redirect.addFlashAttribute("rowErrors", ClaimsCsv.rowsOf(e, result.lines()));
        }
        return "redirect:/app/evaluator";
    }

    /** One measurement of any kind, as the REST body would carry it; {@code supersedes} makes it a correction. */
    @PostMapping("/app/evaluator/bonds/{bondId}/measurements")
    public String submit(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                         RedirectAttributes redirect) {
        access.requireParty(bondId, principal);
        var body = JSON.createObjectNode();
        form.forEach((name, value) -> {
            if (!name.equals("_csrf") && value != null && !value.isBlank()) {
                body.put(name, value.trim());
            }
        });
        try {
            SubmitMeasurementCommand command = MeasurementSubmissions.read(JSON, bondId, body, "m-" + UUID.randomUUID());
            commands.sendAndAwaitReadModels(command, principal.getName(), null);
            redirect.addFlashAttribute("notice", command.measurementId());
        } catch (CommandRefusedException e) {
            redirect.addFlashAttribute("problem", e.getMessage() + (e.violations().isEmpty() ? ""
                    : " " + e.violations().stream().map(v -> v.pointer() + ": " + v.message()).toList()));
        }
        return "redirect:/app/evaluator";
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
