package org.sibledger.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.MeasurementSubmissions;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.api.security.BondAccess;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementPage;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.LiabilitiesView;
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
    private final ApprovalPreview preview;
    private final Visibility visibility;

    public RolePages(BondAccess access, BondPages bonds, LedgerCommands commands,
                     TermsDocumentReader termsReader, ClaimsCsv claimsCsv, ApprovalPreview preview,
                     Visibility visibility) {
        this.preview = preview;
        this.visibility = visibility;
        this.access = access;
        this.bonds = bonds;
        this.commands = commands;
        this.termsReader = termsReader;
        this.claimsCsv = claimsCsv;
    }

    // the investor's page: InvestorPages

    // --------------------------------------------------------------------------------------------------- payer

    @GetMapping("/app/payer")
    public String payer(Authentication principal, Model model) {
        List<Map<String, Object>> cards = new ArrayList<>();
        for (BondView bond : bonds.bondsOf(principal)) {
            if (bond.terms().parties().outcomePayers().stream().noneMatch(p -> p.id().equals(principal.getName()))) {
                continue;
            }
            Visibility.Viewer viewer = Visibility.viewer(bond, principal);
            MeasurementPage queue = visibility.measurements(viewer, "SUBMITTED", 0, 200);
            Map<String, Money> estimates = preview.of(bond.bondId(), bond.currency(),
                    queue.items().stream().map(MeasurementView::measurementId).toList());
            LiabilitiesView liabilities = visibility.liabilities(viewer);
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("bond", bond);
            card.put("queue", queue.items());
            card.put("estimates", estimates);
            card.put("liabilities", liabilities);
            card.put("liabilityChart", liabilityChart(liabilities));
            cards.add(card);
        }
        model.addAttribute("cards", cards);
        return "payer";
    }

    @PostMapping("/app/payer/bonds/{bondId}/measurements/{measurementId}/decision")
    public String decide(@PathVariable String bondId, @PathVariable String measurementId, @RequestParam String decision,
                         @RequestParam(required = false) String reason, Authentication principal,
                         RedirectAttributes redirect) {
        try {
            // a payer the bond does not name is told what it would be told of a bond that does not exist
            access.hideFromNonParty(bondId, principal);
            commands.sendAndAwaitReadModels(new DecideOnMeasurementCommand(bondId, measurementId,
                    Decision.valueOf(decision), reason == null || reason.isBlank() ? null : reason), principal.getName(), null);
            redirect.addFlashAttribute("notice", bonds.text("payer.decided", decision));
        } catch (CommandRefusedException e) {
            redirect.addFlashAttribute("problem", access.hideRefusal(bondId, principal, e).getMessage());
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("problem", "APPROVE, REJECT or DISPUTE");
        }
        return "redirect:/app/payer";
    }

    private String liabilityChart(LiabilitiesView liabilities) {
        if (liabilities == null || liabilities.payers().isEmpty()) {
            return null;
        }
        LiabilitiesView.PayerLiability mine = liabilities.payers().get(0);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "bar");
        spec.put("labels", List.of(bonds.text("payer.due"), bonds.text("payer.held"), bonds.text("figures.settled"),
                bonds.text("caps.headroom")));
        spec.put("datasets", List.of(Map.of("label", liabilities.currency(), "backgroundColor", "#0b57d0", "data", List.of(
                mine.due().amount(), mine.held().amount(), mine.settled().amount(),
                mine.headroom() == null ? 0 : mine.headroom().amount()))));
        try {
            return ContractsJson.newMapper().writeValueAsString(spec).replaceAll("\"([0-9.]+)\"", "$1");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
