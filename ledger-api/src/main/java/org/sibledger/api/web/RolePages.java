package org.sibledger.api.web;

import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.CommandRefusedException;
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

/**
 * The arranger's pages (the investor's are {@link InvestorPages}, the payer's {@link PayerPages}, the evaluator's
 * {@link EvaluatorPages}).
 * Every read goes through the same one place as the API ({@link org.sibledger.api.security.Visibility}) and every action through the same
 * commands, so a page shows and does only what the principal may.
 */
@Controller
public class RolePages {

    private final BondPages bonds;
    private final LedgerCommands commands;
    private final TermsDocumentReader termsReader;

    public RolePages(BondPages bonds, LedgerCommands commands, TermsDocumentReader termsReader) {
        this.bonds = bonds;
        this.commands = commands;
        this.termsReader = termsReader;
    }

    // the investor's page: InvestorPages

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
