package org.sibledger.api.web;

import org.sibledger.api.command.BondReader;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.security.BondAccess;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.core.bond.InvestorStanding;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What an investor does on its page, for each bond that names it an investor: commit to a tranche, increase or
 * withdraw that commitment while the bond takes it, and fund its share of a capital call. Each is the command the REST
 * API sends ({@code rest.LifecycleController}: commitments, commitments/increase, commitments/withdrawal,
 * capital-calls/{callId}/fundings), through {@link LedgerCommands}, always for the signed-in investor itself. A funding
 * is first shown as the bond would record it (the amount, tranche by tranche, and what stays outstanding), recording
 * nothing, and recorded only when confirmed, once however often the confirmation is sent.
 * <p>
 * What the bond refuses is said in words at the field it concerns, with what was typed kept, on the investor's page.
 * Security lets only investors post under {@code /app/investor/}; a principal the bond does not name is told the bond
 * is unknown (404, as the API tells it), and a party of the bond that is not one of its investors gets the 403 page.
 */
@Controller
public class InvestorFundingPages {

    private static final String BASE = "/app/investor/bonds/{bondId}";

    private final BondAccess access;
    private final Visibility visibility;
    private final LedgerCommands commands;
    private final BondReader reader;
    private final MessageSource messages;
    private final Formats formats;
    private final RefusalWords refusals;

    public InvestorFundingPages(BondAccess access, Visibility visibility, LedgerCommands commands, BondReader reader,
                                MessageSource messages, Formats formats, RefusalWords refusals) {
        this.refusals = refusals;
        this.access = access;
        this.visibility = visibility;
        this.commands = commands;
        this.reader = reader;
        this.messages = messages;
        this.formats = formats;
    }

    @PostMapping(BASE + "/commitments")
    public String commit(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                         RedirectAttributes redirect) {
        return commitment(bondId, "commit", form, principal, redirect, MakeCommitmentCommand::new);
    }

    @PostMapping(BASE + "/commitments/increase")
    public String increase(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                           RedirectAttributes redirect) {
        return commitment(bondId, "increase", form, principal, redirect, IncreaseCommitmentCommand::new);
    }

    /** The command a commitment form makes: bond, investor, tranche, amount. */
    private interface CommitmentCommand {
        Object of(String bondId, String investorId, String tranche, BigDecimal amount);
    }

    /** A commitment made or increased: a tranche and an amount, for the signed-in investor; "inv.{action}.done" says it. */
    private String commitment(String bondId, String action, Map<String, String> form, Authentication principal,
                              RedirectAttributes redirect, CommitmentCommand command) {
        BondView bond = investorBond(bondId, principal);
        Form step = new Form(bondId, action, form);
        String tranche = step.text("tranche");
        BigDecimal amount = step.amount("amount");
        return step.send(principal, redirect, () -> command.of(bondId, principal.getName(), tranche, amount),
                () -> text("inv." + action + ".done", money(amount, bond), tranche));
    }

    @PostMapping(BASE + "/commitments/withdrawal")
    public String withdraw(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                           RedirectAttributes redirect) {
        investorBond(bondId, principal);
        Form step = new Form(bondId, "withdraw", form);
        String tranche = step.text("tranche");
        return step.send(principal, redirect, () -> new WithdrawCommitmentCommand(bondId, principal.getName(), tranche),
                () -> text("inv.withdraw.done", tranche));
    }

    /**
     * A commitment, an increase or a withdrawal as the bond would record it, to confirm (recording nothing): the
     * amount, the tranche, and the investor's commitments to the bond after it, in the tranche and in all; or, when the
     * bond would refuse it, the page with the refusal at its field. The confirmation posts to the step above.
     */
    @PostMapping({BASE + "/commitments/preview", BASE + "/commitments/increase/preview",
            BASE + "/commitments/withdrawal/preview"})
    public String previewCommitment(@PathVariable String bondId, @RequestParam Map<String, String> form,
                                    Authentication principal, Model model, RedirectAttributes redirect,
                                    jakarta.servlet.http.HttpServletRequest request) {
        BondView bond = investorBond(bondId, principal);
        String path = request.getRequestURI();
        String action = path.endsWith("/increase/preview") ? "increase"
                : path.endsWith("/withdrawal/preview") ? "withdraw" : "commit";
        Form step = new Form(bondId, action, form);
        String tranche = step.text("tranche");
        BigDecimal amount = action.equals("withdraw") ? null : step.amount("amount");
        if (step.errors.isEmpty()) {
            try {
                String investor = principal.getName();
                BigDecimal change = reader.read(bondId, b -> switch (action) {
                    case "commit" -> b.previewCommitment(new MakeCommitmentCommand(bondId, investor, tranche, amount))
                            .amount();
                    case "increase" -> b.previewIncrease(new IncreaseCommitmentCommand(bondId, investor, tranche, amount))
                            .amount();
                    default -> b.previewWithdrawal(new WithdrawCommitmentCommand(bondId, investor, tranche))
                            .amount().negate();
                });
                List<InvestorStanding.Commitment> mine = visibility.standing(Visibility.viewer(bond, principal)).commitments();
                BigDecimal inTranche = mine.stream().filter(c -> c.tranche().equals(tranche))
                        .map(InvestorStanding.Commitment::committed).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal inAll = mine.stream().map(InvestorStanding.Commitment::committed)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                model.addAttribute("bond", bond);
                model.addAttribute("action", action);
                model.addAttribute("tranche", tranche);
                model.addAttribute("amount", money(change.abs(), bond));
                model.addAttribute("trancheAfter", money(inTranche.add(change), bond));
                model.addAttribute("bondAfter", money(inAll.add(change), bond));
                Map<String, String> hidden = new LinkedHashMap<>();
                hidden.put("tranche", tranche);
                if (amount != null) {
                    hidden.put("amount", amount.toPlainString());
                }
                hidden.put("key", UUID.randomUUID().toString());
                model.addAttribute("hidden", hidden);
                model.addAttribute("confirmPath", path.substring(0, path.length() - "/preview".length()));
                return "investor-commitment-confirm";
            } catch (CommandRefusedException e) {
                step.refused(access.hideRefusal(bondId, principal, e), principal);
            }
        }
        return step.back(redirect);
    }

    /** The funding as the bond would record it, to confirm; or, when it would refuse, the page with the refusal. */
    @PostMapping(BASE + "/capital-calls/{callId}/fundings/preview")
    public String previewFunding(@PathVariable String bondId, @PathVariable String callId,
                                 @RequestParam Map<String, String> form, Authentication principal, Model model,
                                 RedirectAttributes redirect) {
        BondView bond = investorBond(bondId, principal);
        Form step = new Form(bondId, "fund-" + callId, form);
        BigDecimal amount = step.amount("amount");
        if (step.errors.isEmpty()) {
            try {
                FundCapitalCallCommand command = new FundCapitalCallCommand(bondId, callId, principal.getName(), amount);
                List<CapitalCallFundedEvent> lines = reader.read(bondId, b -> b.previewFunding(command,
                        LocalDate.now(ZoneOffset.UTC)));
                InvestorStanding.CallShare share = visibility.standing(Visibility.viewer(bond, principal)).calls().stream()
                        .filter(c -> c.callId().equals(callId)).findFirst().orElseThrow();
                model.addAttribute("bond", bond);
                model.addAttribute("call", share);
                model.addAttribute("amount", money(amount, bond));
                model.addAttribute("lines", lines.stream().map(l -> List.of(l.tranche(), money(l.amount(), bond))).toList());
                model.addAttribute("after", money(share.outstanding().subtract(amount), bond));
                model.addAttribute("hidden", Map.of("amount", amount.toPlainString(), "key", UUID.randomUUID().toString()));
                model.addAttribute("confirmPath", UriComponentsBuilder.fromPath(BASE + "/capital-calls/{c}/fundings")
                        .buildAndExpand(bondId, callId).encode().toUriString());
                return "investor-confirm";
            } catch (CommandRefusedException e) {
                step.refused(access.hideRefusal(bondId, principal, e), principal);
            }
        }
        return step.back(redirect);
    }

    @PostMapping(BASE + "/capital-calls/{callId}/fundings")
    public String fund(@PathVariable String bondId, @PathVariable String callId, @RequestParam Map<String, String> form,
                       Authentication principal, RedirectAttributes redirect) {
        BondView bond = investorBond(bondId, principal);
        Form step = new Form(bondId, "fund-" + callId, form);
        BigDecimal amount = step.amount("amount");
        return step.send(principal, redirect, () -> new FundCapitalCallCommand(bondId, callId, principal.getName(), amount),
                () -> text("inv.fund.done", money(amount, bond), callId));
    }

    // ------------------------------------------------------------------------------ one form of the page

    /**
     * One form's post: its fields as typed (shown again under {@code invTyped}, keyed by field), what is wrong with
     * each in words ({@code invErrors}), and which bond's which form it was ({@code invBond}, {@code invForm}), so
     * that the page opens that form with them.
     */
    private final class Form {

        private final String bondId;
        private final String name;
        private final Map<String, String> typed = new LinkedHashMap<>();
        private final Map<String, String> errors = new LinkedHashMap<>();
        /** A refusal the page has no form to show at (a call that asks nothing of the investor): said at the top. */
        private String unplaced;

        Form(String bondId, String name, Map<String, String> form) {
            this.bondId = bondId;
            this.name = name;
            form.forEach((field, value) -> {
                if (!field.equals("_csrf") && value != null && !value.isBlank()) {
                    typed.put(field, value.strip());
                }
            });
        }

        String text(String field) {
            String value = typed.get(field);
            if (value == null) {
                errors.put(field, InvestorFundingPages.this.text("act.field.required"));
            }
            return value;
        }

        BigDecimal amount(String field) {
            String value = text(field);
            if (value == null) {
                return null;
            }
            try {
                return Formats.typedAmount(value);
            } catch (NumberFormatException e) {
                errors.put(field, InvestorFundingPages.this.text("act.field.number"));
                return null;
            }
        }

        String send(Authentication principal, RedirectAttributes redirect, Supplier<Object> command, Supplier<String> done) {
            if (errors.isEmpty()) {
                try {
                    String key = typed.get("key");
                    commands.sendAndAwaitReadModels(command.get(), principal.getName(),
                            key == null ? null : "investor " + name + " " + key);
                    redirect.addFlashAttribute("notice", done.get());
                    return investorPage(bondId);
                } catch (CommandRefusedException e) {
                    refused(access.hideRefusal(bondId, principal, e), principal);
                }
            }
            return back(redirect);
        }

        /**
         * The bond's refusal at the field it names (the amount when it names none, the form for a withdrawal), in the
         * reader's words where the pages know its code; a refusal of the principal's role is the 403 page.
         */
        void refused(CommandRefusedException e, Authentication principal) {
            if (e.kind() == CommandRefusedException.Kind.FORBIDDEN) {
                throw new AccessDeniedException(e.getMessage());
            }
            if (e.kind() == CommandRefusedException.Kind.NOT_FOUND && "unknown-bond".equals(e.code())) {
                throw e;
            }
            String field = name.equals("withdraw") ? "form" : "amount";
            for (CommandRefusedException.FieldViolation v : e.violations()) {
                String named = v.pointer().replaceFirst("^/", "").split("/", 2)[0];
                if (named.equals("amount") || named.equals("tranche")) {
                    field = named;
                }
            }
            if (e.code().equals("unknown-capital-call") || e.code().equals("not-called")) {
                unplaced = words(e, principal);
                return;
            }
            errors.merge(field, words(e, principal), (a, b) -> a + " " + b);
        }

        private String words(CommandRefusedException e, Authentication principal) {
            String said = e.violations().size() == 1 ? e.violations().get(0).message() : e.getMessage();
            String outstanding = "";
            if (e.code().equals("overfunding") && name.startsWith("fund-")) {
                String callId = name.substring("fund-".length());
                BondView bond = access.requireParty(bondId, principal);
                outstanding = visibility.standing(Visibility.viewer(bond, principal)).calls().stream()
                        .filter(c -> c.callId().equals(callId)).findFirst()
                        .map(c -> money(c.outstanding(), bond)).orElse("");
            }
            String own = messages.getMessage("inv.refusal." + e.code(), new Object[]{outstanding}, null,
                    LocaleContextHolder.getLocale());
            if (own != null) {
                return own;
            }
            String known = refusals.known(e);
            return known != null ? known : RefusalWords.isolated(said);
        }

        String back(RedirectAttributes redirect) {
            redirect.addFlashAttribute("invTyped", typed);
            redirect.addFlashAttribute("invErrors", errors);
            redirect.addFlashAttribute("invBond", bondId);
            redirect.addFlashAttribute("invForm", name);
            redirect.addFlashAttribute("problem", unplaced != null ? unplaced : InvestorFundingPages.this.text("act.notDone"));
            return investorPage(bondId);
        }
    }

    // ------------------------------------------------------------------------------ helpers

    /**
     * The bond, for one of its investors only: who is no party of it is told it is unknown (404, as the API tells
     * them), and any other party of it that the step is not theirs (403).
     */
    private BondView investorBond(String bondId, Authentication principal) {
        BondView bond = access.requireParty(bondId, principal);
        if (!Visibility.viewer(bond, principal).is(Visibility.PartyKind.INVESTOR)) {
            throw new AccessDeniedException("only the bond's investors commit and fund");
        }
        return bond;
    }

    private String money(BigDecimal amount, BondView bond) {
        return formats.money(new Money(amount, bond.currency()));
    }

    private String text(String code, Object... args) {
        return messages.getMessage(code, args, LocaleContextHolder.getLocale());
    }

    private static String investorPage(String bondId) {
        return "redirect:" + UriComponentsBuilder.fromPath("/app/investor").fragment("inv-" + bondId).build()
                .encode().toUriString();
    }
}
