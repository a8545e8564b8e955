package org.sibledger.api.web;

import org.sibledger.api.command.OpenProposals;
import org.sibledger.api.projection.DeadLetters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.integrity.IntegrityCheck;
import org.sibledger.api.security.Principals;
import org.sibledger.api.security.Role;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondPage;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.ListBondsQuery;
import org.sibledger.contracts.performance.PerformanceView;
import org.sibledger.core.integrity.ChainVerifier;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sign-in, the landing page that sends each principal to its own, and a bond's page (cohorts and metrics, caps,
 * targets, the chart over time, payouts, history with its integrity check) for any party of the bond.
 */
@Controller
public class BondPages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueryGateway queries;
    private final Visibility visibility;
    private final IntegrityCheck integrity;
    private final MessageSource messages;

    private final boolean oidc;
    /** Started with --demo: the demo's bonds that take figures from published ones say on their page what is taken. */
    @org.springframework.beans.factory.annotation.Value("${sib.demo:false}")
    private boolean demo;
    private final OpenProposals proposals;
    private final DeadLetters deadLetters;

    public BondPages(QueryGateway queries, Visibility visibility, IntegrityCheck integrity, MessageSource messages,
                     OpenProposals proposals, DeadLetters deadLetters,
                     org.springframework.beans.factory.ObjectProvider<
                             org.springframework.security.oauth2.client.registration.ClientRegistrationRepository> oidcClients) {
        this.queries = queries;
        this.visibility = visibility;
        this.integrity = integrity;
        this.messages = messages;
        this.oidc = oidcClients.getIfAvailable() != null;
        this.proposals = proposals;
        this.deadLetters = deadLetters;
    }

    /** The sign-in form of the demo users; where people sign in at the OpenID Connect issuer, a link to it. */
    @GetMapping("/login")
    public String login(Model model) {
        model.addAttribute("oidc", oidc);
        return "login";
    }

    @GetMapping("/app")
    public String home(Authentication principal) {
        for (Role role : List.of(Role.INVESTOR, Role.OUTCOME_PAYER, Role.EVALUATOR, Role.ARRANGER)) {
            if (Principals.hasRole(principal, role)) {
                return "redirect:/app/" + switch (role) {
                    case INVESTOR -> "investor";
                    case OUTCOME_PAYER -> "payer";
                    case EVALUATOR -> "evaluator";
                    default -> "arranger";
                };
            }
        }
        return "redirect:/app/bonds";
    }

    /**
     * The page security forwards to when a signed-in principal asks for another role's page (SecurityConfig): the
     * app's 403 page in the reader's language, with the header of a signed-in reader.
     */
    @org.springframework.web.bind.annotation.RequestMapping("/app/denied")
    public String denied(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
                         Model model) {
        response.setStatus(403);
        model.addAttribute("status", 403);
        Object denied = request.getAttribute(jakarta.servlet.RequestDispatcher.FORWARD_REQUEST_URI);
        model.addAttribute("path", denied == null ? request.getRequestURI() : denied);
        model.addAttribute("currentPath", denied == null ? request.getRequestURI() : denied);
        return "error";
    }

    @GetMapping("/app/bonds")
    public String bonds(Authentication principal, Model model) {
        model.addAttribute("bonds", bondsOf(principal));
        return "bonds";
    }

    @GetMapping("/app/bonds/{bondId}")
    public String bond(@PathVariable String bondId, Authentication principal, Model model) {
        // what the page shows of the bond is what the API shows the principal: the same one place decides
        Visibility.Viewer viewer = visibility.viewer(bondId, principal);
        PerformanceView performance = visibility.performance(viewer, null);
        model.addAttribute("bond", viewer.bond());
        if (demo) {
            model.addAttribute("demoNote", messages.getMessage("demo.note." + bondId, null, null,
                    LocaleContextHolder.getLocale()));
        }
        model.addAttribute("performance", performance);
        model.addAttribute("chart", chart(performance));
        model.addAttribute("payouts", visibility.payouts(viewer, 0, 200));
        model.addAttribute("history", visibility.history(bondId, 0, 200, principal));
        // a claim pack is the payers' (their own lines) and the arranger's: ReportsController
        model.addAttribute("claimPack", viewer.is(Visibility.PartyKind.OUTCOME_PAYER)
                || viewer.is(Visibility.PartyKind.ARRANGER) || viewer.is(Visibility.PartyKind.ADMIN));
        ChainVerifier.Verdict verdict = integrity.verify(bondId);
        model.addAttribute("integrity", verdict.intact()
                ? text("bond.intact", verdict.eventsChecked())
                : text("bond.broken", verdict.firstBadSequence(), verdict.reason()));
        model.addAttribute("intact", verdict.intact());
        // the variation awaiting consent, term by term, for every party; read models behind, for the arranger
        proposals.of(bondId).ifPresent(open -> {
            model.addAttribute("proposal", open);
            model.addAttribute("proposalChanges", OpenProposals.changes(open.currentTerms(), open.proposedTerms()));
            // the buttons to consent or decline only for a party the variation still awaits (ConsentPages)
            model.addAttribute("mayConsent", ConsentPages.awaits(open, principal.getName()));
        });
        if (viewer.is(Visibility.PartyKind.ARRANGER) || viewer.is(Visibility.PartyKind.ADMIN)) {
            model.addAttribute("deadLetters", deadLetters.list(null, bondId, 50));
        }
        return "bond";
    }

    /**
     * The bond's page with its stored events checked against checkpoints the party kept (pasted as downloaded or read
     * from the topic): the same check as {@code java -jar ledger-api.jar verify}, which still finds a history shortened
     * or rewritten when the stored checkpoints were removed with it. Changes nothing, so the page is answered directly.
     */
    @PostMapping("/app/bonds/{bondId}/verify")
    public String verifyKept(@PathVariable String bondId, @RequestParam(name = "checkpoint", required = false) String kept,
                             Authentication principal, Model model) {
        String page = bond(bondId, principal, model); // only a party of the bond (or an admin) gets this far
        IntegrityCheck.Kept result = integrity.verifyKept(bondId, kept);
        model.addAttribute("keptText", kept);
        if (result.problem() != null) {
            model.addAttribute("keptError", text("bond.kept." + result.problem(),
                    result.arguments().stream().map(String::valueOf).toArray()));
            return page;
        }
        ChainVerifier.Verdict verdict = result.verdict();
        model.addAttribute("keptIntact", verdict.intact());
        model.addAttribute("keptVerdict", verdict.intact()
                ? text("bond.kept.matches", String.valueOf(result.newest().sequence()),
                String.valueOf(result.newest().signedAt()), verdict.eventsChecked())
                : text("bond.kept.broken", String.valueOf(verdict.firstBadSequence()), verdict.reason()));
        return page;
    }

    /** The bonds whose terms name the principal (every bond for an admin). */
    List<BondView> bondsOf(Authentication principal) {
        String party = Principals.isAdmin(principal) ? null : principal.getName();
        return queries.query(new ListBondsQuery(party, 0, 200), BondPage.class).join().items();
    }

    /**
     * Chart.js data for the months of a bond: outcomes approved (units) and payouts triggered (in the months the
     * outcomes were achieved) and settled (money).
     */
    String chart(PerformanceView performance) {
        List<String> labels = new ArrayList<>();
        List<Object> approved = new ArrayList<>();
        List<Object> triggered = new ArrayList<>();
        List<Object> settled = new ArrayList<>();
        double approvedSoFar = 0;
        double triggeredSoFar = 0;
        double settledSoFar = 0;
        for (PerformanceView.MonthLine month : performance.months()) {
            labels.add(month.month());
            approvedSoFar += month.figures().approved().doubleValue();
            triggeredSoFar += month.figures().triggered().amount().doubleValue();
            settledSoFar += month.figures().settled().amount().doubleValue();
            approved.add(approvedSoFar);
            triggered.add(triggeredSoFar);
            settled.add(settledSoFar);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "line");
        spec.put("labels", labels);
        spec.put("datasets", List.of(
                // the lines are drawn over the see-through bars (a lower order is drawn later), never hidden by them
                Map.of("type", "bar", "label", text("chart.approved"), "data", approved, "yAxisID", "y",
                        "backgroundColor", "rgba(13, 101, 45, 0.45)", "order", 2),
                Map.of("label", text("chart.triggered") + " (" + performance.currency() + ")", "data", triggered,
                        "yAxisID", "money", "borderColor", "#0b57d0", "backgroundColor", "#0b57d0", "order", 0),
                Map.of("label", text("chart.settled") + " (" + performance.currency() + ")", "data", settled,
                        "yAxisID", "money", "borderColor", "#a50e0e", "backgroundColor", "#a50e0e", "order", 1)));
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String text(String code, Object... args) {
        return messages.getMessage(code, args, LocaleContextHolder.getLocale());
    }
}
