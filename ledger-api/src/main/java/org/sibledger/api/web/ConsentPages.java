package org.sibledger.api.web;

import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.command.OpenProposals;
import org.sibledger.api.security.BondAccess;
import org.sibledger.contracts.bond.AmendmentProposalView;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.Optional;

/**
 * A party whose consent a variation of the terms awaits consents to it, or declines it with a reason, from the bond's
 * page: the very commands the API's {@code POST .../amendments/{id}/consent} and {@code .../decline} send
 * ({@code rest.LifecycleController}), through {@link LedgerCommands}. Only a party the proposal still awaits gets the
 * buttons ({@link #awaits}); anyone else who posts (a party whose consent is not needed or already given, an admin)
 * gets the 403 page, and a principal the bond does not name the 404 of an unknown bond. What the bond refuses is said
 * in words on the bond's page; so is a variation that ended meanwhile (declined, withdrawn or taken effect).
 */
@Controller
public class ConsentPages {

    private final BondAccess access;
    private final OpenProposals proposals;
    private final LedgerCommands commands;
    private final RefusalWords refusals;
    private final MessageSource messages;

    public ConsentPages(BondAccess access, OpenProposals proposals, LedgerCommands commands, RefusalWords refusals,
                        MessageSource messages) {
        this.access = access;
        this.proposals = proposals;
        this.commands = commands;
        this.refusals = refusals;
        this.messages = messages;
    }

    private static final String BASE = "/app/bonds/{bondId}/amendments/{proposalId}";

    @PostMapping(BASE + "/consent")
    public String consent(@PathVariable String bondId, @PathVariable String proposalId, Authentication principal,
                          RedirectAttributes redirect) {
        if (awaited(bondId, proposalId, principal, redirect).isEmpty()) {
            return bondPage(bondId);
        }
        try {
            commands.sendAndAwaitReadModels(new ConsentToAmendmentCommand(bondId, proposalId), principal.getName(), null);
        } catch (CommandRefusedException e) {
            return refused(bondId, principal, e, redirect);
        }
        boolean stillOpen = proposals.of(bondId).filter(p -> p.proposalId().equals(proposalId)).isPresent();
        redirect.addFlashAttribute("consentNotice", text(stillOpen ? "consent.done" : "consent.done.inForce"));
        return bondPage(bondId);
    }

    @PostMapping(BASE + "/decline")
    public String decline(@PathVariable String bondId, @PathVariable String proposalId,
                          @RequestParam(required = false) String reason, Authentication principal,
                          RedirectAttributes redirect) {
        if (awaited(bondId, proposalId, principal, redirect).isEmpty()) {
            return bondPage(bondId);
        }
        if (reason == null || reason.isBlank()) {
            redirect.addFlashAttribute("declineError", text("consent.decline.reasonRequired"));
            return bondPage(bondId);
        }
        try {
            commands.sendAndAwaitReadModels(new DeclineAmendmentCommand(bondId, proposalId, reason.strip()),
                    principal.getName(), null);
        } catch (CommandRefusedException e) {
            redirect.addFlashAttribute("declineReason", reason.strip());
            return refused(bondId, principal, e, redirect);
        }
        redirect.addFlashAttribute("consentNotice", text("consent.declined"));
        return bondPage(bondId);
    }

    /**
     * The open proposal of this id, when it awaits the principal's consent; empty (with the reason told on the bond's
     * page) when no such proposal is open any more. A party of the bond it does not await is refused (403).
     */
    private Optional<AmendmentProposalView> awaited(String bondId, String proposalId, Authentication principal,
                                                    RedirectAttributes redirect) {
        access.requireParty(bondId, principal);
        Optional<AmendmentProposalView> open = proposals.of(bondId).filter(p -> p.proposalId().equals(proposalId));
        if (open.isEmpty()) {
            redirect.addFlashAttribute("consentProblem", text("consent.gone"));
            return open;
        }
        if (!awaits(open.get(), principal.getName())) {
            throw new AccessDeniedException("the variation does not await the consent of " + principal.getName());
        }
        return open;
    }

    /** Whether the proposal awaits this party's consent: what decides that the bond page shows it the buttons. */
    public static boolean awaits(AmendmentProposalView proposal, String partyId) {
        return proposal != null && partyId != null && proposal.awaiting().contains(partyId);
    }

    private String refused(String bondId, Authentication principal, CommandRefusedException e,
                           RedirectAttributes redirect) {
        CommandRefusedException shown = access.hideRefusal(bondId, principal, e);
        if (shown.kind() == CommandRefusedException.Kind.FORBIDDEN) {
            throw new AccessDeniedException(shown.getMessage());
        }
        if (shown.kind() == CommandRefusedException.Kind.NOT_FOUND && "unknown-bond".equals(shown.code())) {
            throw shown;
        }
        redirect.addFlashAttribute("consentProblem", text("consent.refused", refusals.of(shown)));
        return bondPage(bondId);
    }

    private String text(String code, Object... args) {
        return messages.getMessage(code, args, LocaleContextHolder.getLocale());
    }

    private static String bondPage(String bondId) {
        return "redirect:" + UriComponentsBuilder.fromPath("/app/bonds/{b}").fragment("proposal").buildAndExpand(bondId)
                .encode().toUriString();
    }
}
