package org.sibledger.api.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.command.BondReader;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.MeasurementSubmissions;
import org.sibledger.api.security.BondAccess;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.cohort.ListParticipantsQuery;
import org.sibledger.contracts.cohort.ParticipantList;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The evaluator's pages. Each bond's form asks only for the one kind of measurement its payment mechanism takes,
 * offers only the bond's metrics, cohorts and enrolled participants (searchable), keeps what was typed when something
 * is wrong (each problem placed at its field, in words), answers a submission with a readable summary and a link to
 * it, starts a correction from any past submission, and gives a CSV template for claims.
 */
@Controller
public class EvaluatorPages {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final int PARTICIPANTS_SHOWN = 100;

    private final BondAccess access;
    private final BondPages bonds;
    private final LedgerCommands commands;
    private final ClaimsCsv claimsCsv;
    private final Visibility visibility;
    private final QueryGateway queries;
    private final BondReader reader;
    private final RefusalWords refusals;

    public EvaluatorPages(BondAccess access, BondPages bonds, LedgerCommands commands, ClaimsCsv claimsCsv,
                          Visibility visibility, QueryGateway queries, BondReader reader, RefusalWords refusals) {
        this.refusals = refusals;
        this.reader = reader;
        this.access = access;
        this.bonds = bonds;
        this.commands = commands;
        this.claimsCsv = claimsCsv;
        this.visibility = visibility;
        this.queries = queries;
    }

    /** The one kind of measurement each payment mechanism takes (MeasurementRules refuses the others). */
    static String kindOf(PaymentMechanism mechanism) {
        if (mechanism instanceof PaymentMechanism.RateCard) {
            return "OUTCOME_CLAIMS";
        }
        if (mechanism instanceof PaymentMechanism.ThresholdVsComparison) {
            return "COHORT_RESULT";
        }
        return mechanism instanceof PaymentMechanism.SavingsShare ? "SAVINGS" : "TARGET_RESULT";
    }

    /** A metric the form offers: its id and the name the terms give it. */
    public record MetricChoice(String id, String name) {
    }

    @GetMapping("/app/evaluator")
    @SuppressWarnings("unchecked")
    public String evaluator(@RequestParam(required = false) String bond, @RequestParam(required = false) String q,
                            @RequestParam(required = false) String correct, Authentication principal, Model model) {
        Map<String, String> typed = (Map<String, String>) model.asMap().get("typed");
        String typedBond = (String) model.asMap().get("typedBond");
        List<Map<String, Object>> cards = new ArrayList<>();
        for (BondView view : bonds.bondsOf(principal)) {
            if (!view.terms().parties().evaluators().contains(principal.getName())) {
                continue;
            }
            List<MeasurementView> submissions = visibility.measurements(Visibility.viewer(view, principal), null, 0, 200).items();
            Map<String, String> cohortByParticipant = new TreeMap<>(queries.query(new ListParticipantsQuery(view.bondId()),
                    ParticipantList.class).join().cohortByParticipant());
            String search = view.bondId().equals(bond) && q != null ? q.strip() : "";
            List<Map.Entry<String, String>> found = cohortByParticipant.entrySet().stream()
                    .filter(e -> search.isEmpty() || e.getKey().toLowerCase().contains(search.toLowerCase())
                            || e.getValue().toLowerCase().contains(search.toLowerCase())).toList();
            Map<String, String> values = new LinkedHashMap<>();
            if (view.bondId().equals(typedBond) && typed != null) {
                values.putAll(typed);
            } else if (view.bondId().equals(bond) && correct != null) {
                submissions.stream().filter(m -> m.measurementId().equals(correct)).findFirst()
                        .ifPresent(m -> values.putAll(valuesOf(m)));
            }
            // a submission of several claims is corrected whole, with its file: the one-claim form would drop the others
            String correcting = values.get("supersedes");
            int claimsCorrected = correcting == null ? 0 : submissions.stream()
                    .filter(m -> m.measurementId().equals(correcting)).findFirst().map(EvaluatorPages::claimCount).orElse(0);
            String kind = kindOf(view.terms().paymentMechanism());
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("bond", view);
            card.put("kind", kind);
            card.put("metrics", metricsOf(view.terms()));
            // cohort results are for cohorts as the bond opened them, enrolled participants or not
            card.put("cohorts", kind.equals("COHORT_RESULT") ? reader.read(view.bondId(), b -> b.cohortIds()) : List.of());
            card.put("participants", found.stream().limit(PARTICIPANTS_SHOWN).toList());
            card.put("participantsFound", found.size());
            card.put("participantsTotal", cohortByParticipant.size());
            card.put("allParticipants", cohortByParticipant.keySet());
            card.put("search", search);
            card.put("values", values);
            card.put("fieldErrors", view.bondId().equals(typedBond) ? model.asMap().getOrDefault("fieldErrors", Map.of()) : Map.of());
            card.put("claimsCorrected", claimsCorrected);
            card.put("submissions", submissions);
            card.put("correctable", submissions.stream().filter(m -> m.supersededBy() == null
                    && !"SUPERSEDED".equals(m.status())).toList());
            cards.add(card);
        }
        model.addAttribute("cards", cards);
        return "evaluator";
    }

    /** A CSV file with the header row and one example row of the bond, to fill in and upload. */
    @GetMapping("/app/evaluator/bonds/{bondId}/claims-template.csv")
    public ResponseEntity<String> template(@PathVariable String bondId, Authentication principal) {
        BondView bond = access.requireParty(bondId, principal);
        List<MetricChoice> metrics = metricsOf(bond.terms());
        String participant = queries.query(new ListParticipantsQuery(bondId), ParticipantList.class).join()
                .cohortByParticipant().keySet().stream().sorted().findFirst().orElse("p-1");
        String csv = "participantRef,metric,achievedOn,evidenceRef\r\n" + participant + ","
                + (metrics.isEmpty() ? "metric" : metrics.get(0).id()) + "," + LocalDate.now() + ",evidence-ref\r\n";
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(bondId + "-claims-template.csv", StandardCharsets.UTF_8).build().toString())
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8)).body(csv);
    }

    /**
     * The claims of a past submission as a CSV file of the template's columns: to correct a submission of many claims,
     * the evaluator edits this file and uploads it as the correction, which replaces the submission whole.
     */
    @GetMapping("/app/evaluator/bonds/{bondId}/measurements/{measurementId}/claims.csv")
    public ResponseEntity<String> claimsOf(@PathVariable String bondId, @PathVariable String measurementId,
                                           Authentication principal) {
        MeasurementView submitted = visibility.measurement(bondId, measurementId, principal);
        StringBuilder csv = new StringBuilder("participantRef,metric,achievedOn,evidenceRef\r\n");
        if (submitted.measurement() instanceof Measurement.OutcomeClaims claims) {
            for (Measurement.OutcomeClaim claim : claims.claims()) {
                csv.append(cell(claim.participantRef())).append(',').append(cell(claim.metric())).append(',')
                        .append(claim.achievedOn() == null ? "" : claim.achievedOn().toString()).append(',')
                        .append(cell(claim.evidenceRef())).append("\r\n");
            }
        }
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(measurementId + "-claims.csv", StandardCharsets.UTF_8).build().toString())
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8)).body(csv.toString());
    }

    /** A CSV cell: quoted when it holds a comma, a quote or a line break. */
    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        return value.matches("(?s).*[,\"\r\n].*") ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }

    /** How many claims a submission holds (one for a result of any other kind). */
    static int claimCount(MeasurementView m) {
        return m.measurement() instanceof Measurement.OutcomeClaims claims ? claims.claims().size() : 1;
    }

    /**
     * Outcome claims from a CSV file: every row checked first, every bad row reported, and nothing recorded if any.
     * With {@code supersedes}, the file is the correction of that past submission and replaces it whole.
     */
    @PostMapping("/app/evaluator/bonds/{bondId}/claims")
    public String uploadClaims(@PathVariable String bondId, @RequestParam("file") MultipartFile file,
                               @RequestParam String evidenceRef, @RequestParam(required = false) String supersedes,
                               Authentication principal, RedirectAttributes redirect)
            throws IOException {
        BondView bond = access.requireParty(bondId, principal);
        ClaimsCsv.Words words = (code, args) -> bonds.text(code, args);
        ClaimsCsv.Result result = claimsCsv.read(bond, new String(file.getBytes(), StandardCharsets.UTF_8), words);
        if (!result.errors().isEmpty()) {
            redirect.addFlashAttribute("rowErrors", result.errors());
            return "redirect:/app/evaluator";
        }
        String measurementId = "m-" + UUID.randomUUID();
        try {
            commands.sendAndAwaitReadModels(new SubmitMeasurementCommand(bondId, measurementId,
                    new Measurement.OutcomeClaims(result.claims()), evidenceRef,
                    supersedes == null || supersedes.isBlank() ? null : supersedes.strip()), principal.getName(),
                    "csv-" + measurementId);
            redirect.addFlashAttribute("notice", bonds.text("evaluator.accepted", result.claims().size(), measurementId));
            submitted(bond, measurementId, principal, redirect);
        } catch (CommandRefusedException e) {
            redirect.addFlashAttribute("rowErrors", ClaimsCsv.rowsOf(access.hideRefusal(bondId, principal, e),
                    result.lines(), words, refusals::of, refusals::at));
        }
        return "redirect:/app/evaluator";
    }

    /**
     * One measurement of the bond's kind, from the form's fields; {@code supersedes} makes it a correction. Each field
     * is checked here first so that what is wrong is said at its field, in words, and what was typed is kept.
     */
    @PostMapping("/app/evaluator/bonds/{bondId}/measurements")
    public String submit(@PathVariable String bondId, @RequestParam Map<String, String> form, Authentication principal,
                         RedirectAttributes redirect) {
        BondView bond = access.requireParty(bondId, principal);
        Map<String, String> typed = new LinkedHashMap<>();
        form.forEach((name, value) -> {
            if (!name.equals("_csrf") && value != null && !value.isBlank()) {
                typed.put(name, value.strip());
            }
        });
        String kind = kindOf(bond.terms().paymentMechanism());
        Map<String, String> errors = new LinkedHashMap<>();
        if (kind.equals("OUTCOME_CLAIMS") && typed.containsKey("supersedes")) {
            try {
                int claims = claimCount(visibility.measurement(bondId, typed.get("supersedes"), principal));
                if (claims > 1) {
                    errors.put("form", bonds.text("evaluator.correctByFile", claims));
                }
            } catch (CommandRefusedException unknown) {
                // no such submission for this evaluator: the ledger refuses the correction and the page says why
            }
        }
        ObjectNode body = body(kind, typed, errors);
        if (errors.isEmpty()) {
            try {
                SubmitMeasurementCommand command = MeasurementSubmissions.read(JSON, bondId, body, "m-" + UUID.randomUUID());
                commands.sendAndAwaitReadModels(command, principal.getName(), null);
                redirect.addFlashAttribute("notice", bonds.text("evaluator.submitted"));
                submitted(bond, command.measurementId(), principal, redirect);
                return "redirect:/app/evaluator";
            } catch (CommandRefusedException e) {
                CommandRefusedException shown = access.hideRefusal(bondId, principal, e);
                for (CommandRefusedException.FieldViolation v : shown.violations()) {
                    errors.merge(field(v.pointer()), refusals.at(shown, v), (a, b) -> a + "; " + b);
                }
                if (shown.violations().isEmpty()) {
                    errors.put("form", refusals.of(shown));
                }
            }
        }
        redirect.addFlashAttribute("typed", typed);
        redirect.addFlashAttribute("typedBond", bondId);
        redirect.addFlashAttribute("fieldErrors", errors);
        redirect.addFlashAttribute("problem", bonds.text("evaluator.notSubmitted"));
        return "redirect:/app/evaluator";
    }

    // -------------------------------------------------------------------------------------------- the form

    /** The request body of the REST API for the bond's kind, from the form; what does not fit goes to {@code errors}. */
    private ObjectNode body(String kind, Map<String, String> typed, Map<String, String> errors) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", kind);
        String evidence = typed.get("evidenceRef");
        if (evidence == null) {
            errors.put("evidenceRef", bonds.text("evaluator.required"));
        } else {
            body.put("evidenceRef", evidence);
        }
        if (typed.containsKey("supersedes")) {
            body.put("supersedes", typed.get("supersedes"));
        }
        switch (kind) {
            case "OUTCOME_CLAIMS" -> {
                ObjectNode claim = body.putArray("claims").addObject();
                claim.put("participantRef", required(typed, "participantRef", errors));
                claim.put("metric", required(typed, "metric", errors));
                claim.put("achievedOn", date(typed, "achievedOn", true, errors));
                claim.put("evidenceRef", evidence);
            }
            case "COHORT_RESULT" -> {
                body.put("cohortId", required(typed, "cohortId", errors));
                body.put("metric", required(typed, "metric", errors));
                body.put("period", required(typed, "period", errors));
                body.put("treated", decimal(typed, "treated", errors));
                body.put("comparison", decimal(typed, "comparison", errors));
                putIfPresent(body, "periodEnd", date(typed, "periodEnd", false, errors));
            }
            case "TARGET_RESULT" -> {
                body.put("metric", required(typed, "metric", errors));
                body.put("achieved", decimal(typed, "achieved", errors));
                putIfPresent(body, "periodEnd", date(typed, "periodEnd", false, errors));
            }
            default -> {
                body.put("amount", decimal(typed, "amount", errors));
                body.put("period", required(typed, "period", errors));
                putIfPresent(body, "periodEnd", date(typed, "periodEnd", false, errors));
            }
        }
        return body;
    }

    private static void putIfPresent(ObjectNode body, String name, String value) {
        if (value != null) {
            body.put(name, value);
        }
    }

    private String required(Map<String, String> typed, String field, Map<String, String> errors) {
        String value = typed.get(field);
        if (value == null) {
            errors.put(field, bonds.text("evaluator.required"));
        }
        return value;
    }

    private String decimal(Map<String, String> typed, String field, Map<String, String> errors) {
        String value = required(typed, field, errors);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value.replace(",", "")).toPlainString();
        } catch (NumberFormatException e) {
            errors.put(field, bonds.text("evaluator.notANumber", value));
            return null;
        }
    }

    private String date(Map<String, String> typed, String field, boolean needed, Map<String, String> errors) {
        String value = needed ? required(typed, field, errors) : typed.get(field);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value).toString();
        } catch (DateTimeParseException e) {
            errors.put(field, bonds.text("evaluator.notADate", value));
            return null;
        }
    }

    /** The form field a refusal's JSON pointer names ({@code /claims/0/participantRef} is the participant field). */
    static String field(String pointer) {
        if (pointer == null || pointer.isBlank() || pointer.equals("/")) {
            return "form";
        }
        String[] parts = pointer.split("/");
        String last = parts[parts.length - 1];
        return switch (last) {
            case "participantRef", "metric", "achievedOn", "evidenceRef", "cohortId", "period", "periodEnd", "treated",
                 "comparison", "achieved", "amount", "supersedes" -> last;
            default -> "form";
        };
    }

    /** A past submission's values, to start its correction from. */
    static Map<String, String> valuesOf(MeasurementView m) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("supersedes", m.measurementId());
        if (!m.evidenceRefs().isEmpty()) {
            values.put("evidenceRef", m.evidenceRefs().get(0));
        }
        Measurement measurement = m.measurement();
        if (measurement instanceof Measurement.OutcomeClaims claims && !claims.claims().isEmpty()) {
            Measurement.OutcomeClaim first = claims.claims().get(0);
            values.put("participantRef", first.participantRef());
            values.put("metric", first.metric());
            values.put("achievedOn", Objects.toString(first.achievedOn(), null));
            values.put("evidenceRef", first.evidenceRef());
        } else if (measurement instanceof Measurement.CohortResult r) {
            values.put("cohortId", r.cohortId());
            values.put("metric", r.metric());
            values.put("period", r.period());
            values.put("treated", r.treated().toPlainString());
            values.put("comparison", r.comparison().toPlainString());
            values.put("periodEnd", Objects.toString(r.periodEnd(), null));
        } else if (measurement instanceof Measurement.TargetResult r) {
            values.put("metric", r.metric());
            values.put("achieved", r.achieved().toPlainString());
            values.put("periodEnd", Objects.toString(r.periodEnd(), null));
        } else if (measurement instanceof Measurement.Savings r) {
            values.put("amount", r.amount().toPlainString());
            values.put("period", r.period());
            values.put("periodEnd", Objects.toString(r.periodEnd(), null));
        }
        values.values().removeIf(Objects::isNull);
        return values;
    }

    private static List<MetricChoice> metricsOf(BondTerms terms) {
        List<String> paid = terms.paymentMechanism().metricIds();
        List<MetricChoice> choices = new ArrayList<>();
        for (String id : paid) {
            String name = terms.metrics().stream().filter(m -> m.id().equals(id)).map(BondTerms.Metric::name)
                    .findFirst().orElse(id);
            if (choices.stream().noneMatch(c -> c.id().equals(id))) {
                choices.add(new MetricChoice(id, name));
            }
        }
        return choices;
    }

    /** The submission as the ledger recorded it, for the readable summary on the page that follows. */
    private void submitted(BondView bond, String measurementId, Authentication principal, RedirectAttributes redirect) {
        try {
            redirect.addFlashAttribute("submitted", visibility.measurement(bond.bondId(), measurementId, principal));
            redirect.addFlashAttribute("submittedBond", bond);
        } catch (CommandRefusedException e) {
            // the read model may lag; the notice still names the measurement
        }
    }
}
