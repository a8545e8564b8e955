package org.sibledger.api.web;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The arranger's pages (the investor's are {@link InvestorPages}, the payer's {@link PayerPages}, the evaluator's
 * {@link EvaluatorPages}).
 * Every read goes through the same one place as the API ({@link org.sibledger.api.security.Visibility}) and every action through the same
 * commands, so a page shows and does only what the principal may.
 */
@Controller
public class RolePages {

    private final BondPages bonds;

    public RolePages(BondPages bonds) {
        this.bonds = bonds;
    }

    // the investor's page: InvestorPages

    // ------------------------------------------------------------------------------------------------ arranger

    @GetMapping("/app/arranger")
    public String arranger(Authentication principal, Model model) {
        model.addAttribute("bonds", bonds.bondsOf(principal));
        return "arranger";
    }
}
