package org.sibledger.api.web;

import org.sibledger.api.command.BondReader;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.api.security.BondAccess;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.investment.CallAllocation;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionLine;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundsDisbursedEvent;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.investment.GuaranteePaymentLine;
import org.sibledger.core.bond.Bond;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Every step of a bond's life that the API gives its arranger, from the bond's page: admit parties, propose (or
 * withdraw) a variation of the terms, open, open cohorts, call capital, disburse, distribute, mature, call the
 * guarantees, close; and the enrolment of participants, which the bond keeps its service providers'. Each step is the
 * very command the REST API sends ({@code rest.LifecycleController}), through {@link LedgerCommands}. A step that
 * moves money is first shown as the bond would decide it (who receives or pays what, the waterfall line by line),
 * recording nothing ({@link BondReader}), and recorded only when confirmed. What the bond refuses is said in words at
 * the field it concerns, with what was typed kept; success is said on the bond's page.
 * <p>
 * Only the bond's arranger reaches these steps: security lets only arrangers (and admins) post under
 * {@code /app/arranger/}, a principal the bond does not name gets the 404 of an unknown bond, and any other party
 * (an admin too) the 403 page; the bond itself checks the arranger once more when the command arrives.
 */
@Controller
public class ArrangerPages {

    private final BondAccess access;
    private final LedgerCommands commands;
    private final BondReader reader;
    private final TermsDocumentReader termsReader;
    private final MessageSource messages;
    private final Formats formats;
    private final RefusalWords refusals;
    private final RuleWords waterfall;

    public ArrangerPages(BondAccess access, LedgerCommands commands, BondReader reader, TermsDocumentReader termsReader,
                         MessageSource messages, Formats formats, RefusalWords refusals,
                         RuleWords waterfall) {
        this.refusals = refusals;
        this.waterfall = waterfall;
        this.access = access;
        this.commands = commands;
        this.reader = reader;
        this.termsReader = termsReader;
        this.messages = messages;
        this.formats = formats;
    }

    private static final String BASE = "/app/arranger/bonds/{bondId}";

    // ------------------------------------------------------------------------------ parties and terms

    @PostMapping(BASE + "/parties")
    public String admit(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                        RedirectAttributes redirect) {
        arrangerBond(bondId, principal);
        Step step = new Step("party", form);
        PartyRole role = step.choice("role", PartyRole.class);
        String partyId = step.text("partyId");
        return step.send(bondId, principal, redirect, () -> new AdmitPartyCommand(bondId, role, partyId),
                () -> text("act.party.done", partyId, text("act.role." + role)), null);
    }

    @PostMapping(BASE + "/amendments")
    public String propose(@PathVariable String bondId, @RequestParam Map<String, String> form,
                          @RequestParam(value = "file", required = false) MultipartFile file, Authentication principal,
                          RedirectAttributes redirect) throws IOException {
        arrangerBond(bondId, principal);
        Step step = new Step("amend", form);
        String document = file != null && !file.isEmpty() ? new String(file.getBytes(), StandardCharsets.UTF_8)
                : step.text("terms");
        if (file != null && !file.isEmpty()) {
            step.typed.put("amend.terms", document);
            step.errors.remove("amend.terms");
        }
        String reason = step.text("reason");
        LocalDate from = step.date("effectiveFrom");
        BondTerms terms = null;
        if (document != null) {
            try {
                terms = termsReader.read(document);
            } catch (CommandRefusedException e) {
                step.errors.put("amend.terms", e.getMessage() + ": " + String.join("; ", e.violations().stream()
                        .map(v -> v.pointer() + " " + v.message()).toList()));
            }
        }
        String proposalId = "amendment-" + UUID.randomUUID();
        BondTerms proposed = terms;
        return step.send(bondId, principal, redirect, () -> new ProposeAmendmentCommand(bondId, proposalId, proposed,
                reason, from), () -> text("act.amend.done"), null);
    }

    /** The arranger withdraws the variation it proposed (the API's decline, by the arranger). */
    @PostMapping(BASE + "/amendments/{proposalId}/withdrawal")
    public String withdraw(@PathVariable String bondId, @PathVariable String proposalId,
                           @RequestParam Map<String, String> form, Authentication principal, RedirectAttributes redirect) {
        arrangerBond(bondId, principal);
        Step step = new Step("withdraw", form);
        String reason = step.text("reason");
        return step.send(bondId, principal, redirect, () -> new DeclineAmendmentCommand(bondId, proposalId, reason),
                () -> text("act.withdraw.done"), null);
    }

    // ------------------------------------------------------------------------------ lifecycle

    @PostMapping(BASE + "/opening")
    public String open(@PathVariable String bondId, Authentication principal, RedirectAttributes redirect) {
        return withoutFields("open", bondId, principal, redirect, () -> new OpenBondCommand(bondId));
    }

    @PostMapping(BASE + "/maturity")
    public String mature(@PathVariable String bondId, Authentication principal, RedirectAttributes redirect) {
        return withoutFields("mature", bondId, principal, redirect, () -> new MatureBondCommand(bondId));
    }

    @PostMapping(BASE + "/closing")
    public String close(@PathVariable String bondId, Authentication principal, RedirectAttributes redirect) {
        return withoutFields("close", bondId, principal, redirect, () -> new CloseBondCommand(bondId));
    }

    /** A step of the arranger's that takes no field: its command, and the notice {@code act.<step>.done}. */
    private String withoutFields(String action, String bondId, Authentication principal, RedirectAttributes redirect,
                                 java.util.function.Supplier<Object> command) {
        arrangerBond(bondId, principal);
        return new Step(action, Map.of()).send(bondId, principal, redirect, command,
                () -> text("act." + action + ".done"), null);
    }

    // ------------------------------------------------------------------------------ cohorts and participants

    @PostMapping(BASE + "/cohorts")
    public String cohort(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                         RedirectAttributes redirect) {
        arrangerBond(bondId, principal);
        Step step = new Step("cohort", form);
        String cohortId = step.text("cohortId");
        String name = step.text("name");
        BigDecimal size = step.amount("size");
        LocalDate start = step.optionalDate("startDate");
        if (size != null && (size.stripTrailingZeros().scale() > 0 || size.signum() <= 0)) {
            step.errors.put("cohort.size", text("act.field.wholeNumber"));
        }
        return step.send(bondId, principal, redirect, () -> new OpenCohortCommand(bondId, cohortId, name,
                size.intValueExact(), start), () -> text("act.cohort.done", cohortId), null);
    }

    /**
     * Participants enrolled in a cohort by one of the bond's service providers (as the API allows only them): their
     * pseudonymous references one a line, or a CSV file whose first column holds them (a header row
     * {@code participantRef} is skipped).
     */
    @PostMapping("/app/provider/bonds/{bondId}/participants")
    public String enrol(@PathVariable String bondId, @RequestParam Map<String, String> form,
                        @RequestParam(value = "file", required = false) MultipartFile file, Authentication principal,
                        RedirectAttributes redirect) throws IOException {
        BondView bond = access.requireParty(bondId, principal);
        if (!bond.terms().parties().serviceProviders().contains(principal.getName())) {
            throw new AccessDeniedException("only the bond's service providers enrol participants");
        }
        Step step = new Step("enrol", form);
        String cohortId = step.text("cohortId");
        String listed = file != null && !file.isEmpty() ? new String(file.getBytes(), StandardCharsets.UTF_8)
                : step.typed.get("enrol.participants");
        List<String> refs = participants(listed);
        if (refs.isEmpty()) {
            step.errors.put("enrol.participants", text("act.enrol.none"));
        }
        return step.send(bondId, principal, redirect, () -> new EnrolParticipantsCommand(bondId, cohortId, refs),
                () -> text("act.enrol.done", refs.size(), cohortId), "participants");
    }

    static List<String> participants(String listed) {
        List<String> refs = new ArrayList<>();
        if (listed == null) {
            return refs;
        }
        for (String line : listed.split("\\R")) {
            String ref = line.split(",", 2)[0].strip();
            if (ref.startsWith("\uFEFF")) {
                ref = ref.substring(1);
            }
            if (!ref.isEmpty() && !ref.equalsIgnoreCase("participantRef")) {
                refs.add(ref.replace("\"", ""));
            }
        }
        return refs;
    }

    // ------------------------------------------------------------------------------ money: shown, then confirmed

    @PostMapping(BASE + "/capital-calls/preview")
    public String previewCall(@PathVariable String bondId, @RequestParam Map<String, String> form,
                              Authentication principal, Model model, RedirectAttributes redirect) {
        BondView bond = arrangerBond(bondId, principal);
        Step step = new Step("call", form);
        BigDecimal amount = step.amount("amount");
        LocalDate due = step.date("dueDate");
        return step.preview(bond, principal, model, redirect,
                b -> b.previewCapitalCall(new CallCapitalCommand(bondId, "preview", amount, due)),
                (CapitalCalledEvent call) -> {
                    model.addAttribute("intro", text("act.call.intro", money(call.amount(), bond), formats.date(call.dueDate())));
                    model.addAttribute("columns", List.of("act.col.investor", "act.col.tranche", "act.col.amount"));
                    model.addAttribute("rows", call.allocations().stream().map((CallAllocation a) ->
                            List.of(a.investorId(), a.tranche(), money(a.amount(), bond))).toList());
                    model.addAttribute("total", money(call.amount(), bond));
                    return Map.of("amount", amount.toPlainString(), "dueDate", due.toString());
                });
    }

    @PostMapping(BASE + "/capital-calls")
    public String call(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                       RedirectAttributes redirect) {
        BondView bond = arrangerBond(bondId, principal);
        Step step = new Step("call", form);
        BigDecimal amount = step.amount("amount");
        LocalDate due = step.date("dueDate");
        String key = step.key();
        String callId = "call-" + idOf(key);
        return step.send(bondId, principal, redirect, () -> new CallCapitalCommand(bondId, callId, amount, due),
                () -> text("act.call.done", callId, money(amount, bond)), null);
    }

    @PostMapping(BASE + "/disbursements/preview")
    public String previewDisbursement(@PathVariable String bondId, @RequestParam Map<String, String> form,
                                      Authentication principal, Model model, RedirectAttributes redirect) {
        BondView bond = arrangerBond(bondId, principal);
        Step step = new Step("disburse", form);
        String provider = step.text("providerId");
        BigDecimal amount = step.amount("amount");
        return step.preview(bond, principal, model, redirect,
                b -> new Object[]{b.previewDisbursement(new DisburseFundsCommand(bondId, "preview", provider, amount)),
                        b.cashHeld()},
                (Object[] decided) -> {
                    FundsDisbursedEvent paid = (FundsDisbursedEvent) decided[0];
                    BigDecimal cash = (BigDecimal) decided[1];
                    model.addAttribute("intro", text("act.disburse.intro", money(paid.amount(), bond), paid.providerId(),
                            money(cash.subtract(paid.amount()), bond)));
                    model.addAttribute("columns", List.of("act.col.provider", "act.col.amount"));
                    model.addAttribute("rows", List.of(List.of(paid.providerId(), money(paid.amount(), bond))));
                    model.addAttribute("total", money(paid.amount(), bond));
                    return Map.of("providerId", provider, "amount", amount.toPlainString());
                });
    }

    @PostMapping(BASE + "/disbursements")
    public String disburse(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                           RedirectAttributes redirect) {
        BondView bond = arrangerBond(bondId, principal);
        Step step = new Step("disburse", form);
        String provider = step.text("providerId");
        BigDecimal amount = step.amount("amount");
        String id = "disb-" + idOf(step.key());
        return step.send(bondId, principal, redirect, () -> new DisburseFundsCommand(bondId, id, provider, amount),
                () -> text("act.disburse.done", money(amount, bond), provider), null);
    }

    /** The distribution as the waterfall would pay it: each investor's principal and return, tranche by tranche. */
    @PostMapping(BASE + "/distributions/preview")
    public String previewDistribution(@PathVariable String bondId, @RequestParam Map<String, String> form,
                                      Authentication principal, Model model, RedirectAttributes redirect) {
        BondView bond = arrangerBond(bondId, principal);
        Step step = new Step("distribute", form);
        BigDecimal amount = step.amount("amount");
        LocalDate date = step.date("date");
        return step.preview(bond, principal, model, redirect,
                b -> b.previewDistribution(new DistributeCommand(bondId, "preview", amount, date)),
                (DistributionMadeEvent d) -> {
                    model.addAttribute("intro", text("act.distribute.intro", money(d.amount(), bond), formats.date(d.date())));
                    model.addAttribute("columns", List.of("act.col.investor", "act.col.tranche", "act.col.principal",
                            "act.col.return", "act.col.total", "act.col.rule"));
                    List<List<String>> rows = new ArrayList<>();
                    for (DistributionLine line : d.lines()) {
                        rows.add(List.of(line.investorId(), line.tranche(), money(line.principal(), bond),
                                money(line.investorReturn(), bond), money(line.principal().add(line.investorReturn()), bond),
                                waterfall.of(line.rule())));
                    }
                    model.addAttribute("rows", rows);
                    model.addAttribute("total", money(d.amount(), bond));
                    if (d.excess() != null && d.excess().signum() > 0) {
                        model.addAttribute("after", text("act.distribute.excess", money(d.excess(), bond),
                                waterfall.excessTo(d.excessTo()).toLowerCase(LocaleContextHolder.getLocale())));
                    }
                    return Map.of("amount", amount.toPlainString(), "date", date.toString());
                });
    }

    @PostMapping(BASE + "/distributions")
    public String distribute(@PathVariable String bondId, @RequestParam Map<String, String> form,
                             Authentication principal, RedirectAttributes redirect) {
        BondView bond = arrangerBond(bondId, principal);
        Step step = new Step("distribute", form);
        BigDecimal amount = step.amount("amount");
        LocalDate date = step.date("date");
        String id = "dist-" + idOf(step.key());
        return step.send(bondId, principal, redirect, () -> new DistributeCommand(bondId, id, amount, date),
                () -> text("act.distribute.done", money(amount, bond)), null);
    }

    @PostMapping(BASE + "/guarantee-call/preview")
    public String previewGuarantee(@PathVariable String bondId, @RequestParam Map<String, String> form,
                                   Authentication principal, Model model, RedirectAttributes redirect) {
        BondView bond = arrangerBond(bondId, principal);
        Step step = new Step("guarantee", form);
        LocalDate date = step.date("date");
        return step.preview(bond, principal, model, redirect,
                b -> b.previewGuaranteeCall(new CallGuaranteeCommand(bondId, date)),
                (GuaranteeCalledEvent g) -> {
                    BigDecimal total = g.payments().stream().map(GuaranteePaymentLine::amount)
                            .reduce(BigDecimal.ZERO, BigDecimal::add);
                    model.addAttribute("intro", text("act.guarantee.intro", money(g.shortfall(), bond), formats.date(g.date())));
                    model.addAttribute("columns", List.of("act.col.guarantor", "act.col.investor", "act.col.tranche",
                            "act.col.amount", "act.col.rule"));
                    model.addAttribute("rows", g.payments().stream().map((GuaranteePaymentLine p) -> List.of(p.guarantorId(),
                            p.investorId(), p.tranche(), money(p.amount(), bond), waterfall.of(p.rule()))).toList());
                    model.addAttribute("total", money(total, bond));
                    model.addAttribute("after", text("act.guarantee.uncovered", money(g.uncovered(), bond)));
                    return Map.of("date", date.toString());
                });
    }

    @PostMapping(BASE + "/guarantee-call")
    public String callGuarantee(@PathVariable String bondId, @RequestParam Map<String, String> form,
                                Authentication principal, RedirectAttributes redirect) {
        arrangerBond(bondId, principal);
        Step step = new Step("guarantee", form);
        LocalDate date = step.date("date");
        return step.send(bondId, principal, redirect, () -> new CallGuaranteeCommand(bondId, date),
                () -> text("act.guarantee.done"), null);
    }

    // ------------------------------------------------------------------------------ one step of a form

    /**
     * One form's step: its fields as typed (kept under {@code action.field} for the page to show again), what is wrong
     * with each (in words, under the same key), and the sending of its command or the showing of its preview.
     */
    private final class Step {

        private final String action;
        private final Map<String, String> typed = new LinkedHashMap<>();
        private final Map<String, String> errors = new LinkedHashMap<>();

        Step(String action, Map<String, String> form) {
            this.action = action;
            form.forEach((name, value) -> {
                if (!name.equals("_csrf") && value != null && !value.isBlank()) {
                    typed.put(action + "." + name, value.strip());
                }
            });
        }

        String text(String field) {
            String value = typed.get(action + "." + field);
            if (value == null) {
                errors.put(action + "." + field, ArrangerPages.this.text("act.field.required"));
            }
            return value;
        }

        <E extends Enum<E>> E choice(String field, Class<E> type) {
            String value = text(field);
            if (value == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException e) {
                errors.put(action + "." + field, ArrangerPages.this.text("act.field.choose"));
                return null;
            }
        }

        BigDecimal amount(String field) {
            String value = text(field);
            if (value == null) {
                return null;
            }
            try {
                return Formats.typedAmount(value);
            } catch (NumberFormatException e) {
                errors.put(action + "." + field, ArrangerPages.this.text("act.field.number"));
                return null;
            }
        }

        LocalDate date(String field) {
            return text(field) == null ? null : optionalDate(field);
        }

        LocalDate optionalDate(String field) {
            String value = typed.get(action + "." + field);
            if (value == null) {
                return null;
            }
            try {
                return LocalDate.parse(value);
            } catch (DateTimeParseException e) {
                errors.put(action + "." + field, ArrangerPages.this.text("act.field.date"));
                return null;
            }
        }

        /** The idempotency key the confirmation carries, so that a confirmation sent twice records once. */
        String key() {
            String key = typed.get(action + ".key");
            return key != null ? key : UUID.randomUUID().toString();
        }

        /**
         * Sends the step's command unless a field is wrong; what the bond refuses goes to the field it names (the
         * {@code refusalField} by default, else the form), and the bond's page shows the result.
         */
        String send(String bondId, Authentication principal, RedirectAttributes redirect,
                    java.util.function.Supplier<Object> command, java.util.function.Supplier<String> done,
                    String refusalField) {
            if (errors.isEmpty()) {
                try {
                    commands.sendAndAwaitReadModels(command.get(), principal.getName(),
                            typed.containsKey(action + ".key") ? action + " " + typed.get(action + ".key") : null);
                    redirect.addFlashAttribute("notice", done.get());
                    return bondPage(bondId, "actions");
                } catch (CommandRefusedException e) {
                    refused(access.hideRefusal(bondId, principal, e), refusalField);
                }
            }
            return back(bondId, redirect);
        }

        /** Shows what the bond would record, to confirm; or, when it would refuse, the form with the refusal. */
        <T> String preview(BondView bond, Authentication principal, Model model, RedirectAttributes redirect,
                           Function<Bond, T> decide, Function<T, Map<String, String>> show) {
            if (errors.isEmpty()) {
                try {
                    T decided = reader.read(bond.bondId(), decide);
                    Map<String, String> hidden = new LinkedHashMap<>(show.apply(decided));
                    hidden.put("key", UUID.randomUUID().toString());
                    model.addAttribute("bond", bond);
                    model.addAttribute("action", action);
                    model.addAttribute("hidden", hidden);
                    model.addAttribute("confirmPath", "/app/arranger/bonds/" + bond.bondId() + "/" + path(action));
                    return "arranger-confirm";
                } catch (CommandRefusedException e) {
                    refused(access.hideRefusal(bond.bondId(), principal, e), null);
                }
            }
            return back(bond.bondId(), redirect);
        }

        private void refused(CommandRefusedException e, String refusalField) {
            if (e.kind() == CommandRefusedException.Kind.FORBIDDEN) {
                throw new AccessDeniedException(e.getMessage());
            }
            if (e.kind() == CommandRefusedException.Kind.NOT_FOUND && "unknown-bond".equals(e.code())) {
                throw e;
            }
            String words = refusal(e);
            if (e.violations().isEmpty()) {
                errors.merge(action + "." + (refusalField != null ? refusalField : defaultField()), words, (a, b) -> a + " " + b);
                return;
            }
            for (CommandRefusedException.FieldViolation v : e.violations()) {
                String field = v.pointer().replaceFirst("^/", "").split("/", 2)[0];
                String key = action + "." + (typed.containsKey(action + "." + field) || fields().contains(field) ? field : "form");
                errors.merge(key, refusals.at(e, v),
                        (a, b) -> a.equals(b) ? a : a + "; " + b);
            }
        }

        /** Where a refusal that names no field is told: the amount for steps that move money, else the form. */
        private String defaultField() {
            return switch (action) {
                case "call", "disburse", "distribute" -> "amount";
                default -> "form";
            };
        }

        private List<String> fields() {
            return switch (action) {
                case "party" -> List.of("role", "partyId");
                case "amend" -> List.of("terms", "reason", "effectiveFrom");
                case "withdraw" -> List.of("reason");
                case "cohort" -> List.of("cohortId", "name", "size", "startDate");
                case "enrol" -> List.of("cohortId", "participants");
                case "call" -> List.of("amount", "dueDate");
                case "disburse" -> List.of("providerId", "amount");
                case "distribute", "guarantee" -> List.of("amount", "date");
                default -> List.of();
            };
        }

        private String back(String bondId, RedirectAttributes redirect) {
            redirect.addFlashAttribute("actTyped", typed);
            redirect.addFlashAttribute("actErrors", errors);
            redirect.addFlashAttribute("actFailed", action);
            redirect.addFlashAttribute("problem", ArrangerPages.this.text("act.notDone"));
            return bondPage(bondId, "act-" + action);
        }
    }

    private static String path(String action) {
        return switch (action) {
            case "call" -> "capital-calls";
            case "disburse" -> "disbursements";
            case "distribute" -> "distributions";
            case "guarantee" -> "guarantee-call";
            default -> throw new IllegalArgumentException(action);
        };
    }

    // ------------------------------------------------------------------------------ helpers

    /**
     * The bond, for its arranger only: who is no party of it is told it is unknown (404, as the API tells them), and
     * any other party, an admin too, that the step is not theirs (403).
     */
    private BondView arrangerBond(String bondId, Authentication principal) {
        BondView bond = access.requireParty(bondId, principal);
        if (!ArrangerPanel.isArranger(bond, principal)) {
            throw new AccessDeniedException("only the bond's arranger takes this step");
        }
        return bond;
    }

    private String money(BigDecimal amount, BondView bond) {
        return formats.money(new Money(amount, bond.currency()));
    }

    /** The bond's refusal in the reader's words where the pages know its code, else in the bond's own words. */
    private String refusal(CommandRefusedException e) {
        return refusals.of(e);
    }

    private String text(String code, Object... args) {
        return messages.getMessage(code, args, LocaleContextHolder.getLocale());
    }

    private static String idOf(String key) {
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String bondPage(String bondId, String anchor) {
        return "redirect:" + UriComponentsBuilder.fromPath("/app/bonds/{b}").fragment(anchor).buildAndExpand(bondId)
                .encode().toUriString();
    }
}
