package org.sibledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arranger structures a bond with a guided form instead of writing JSON: parties, metrics, the chosen payment
 * mechanism's own fields, caps, tranches and dates, started blank for a mechanism or from the terms of a demo bond,
 * or from a terms file. Rows that repeat are added by a button that sends the form back with what was typed kept, so
 * no script is needed. Submitting builds the terms document of the API and sends it the way {@code POST /api/bonds}
 * does (the same reader, the same command, the same checks); what the ledger refuses is said at the field it concerns,
 * in the page's language ({@link TermsFormErrors}). The document can be downloaded as JSON at any time.
 */
@Controller
public class TermsFormPages {

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final TermsDocumentReader termsReader;
    private final LedgerCommands commands;
    private final MessageSource messages;
    private final BondPages bonds;
    private final org.sibledger.api.security.BondAccess access;
    /** The demo bonds' terms (classpath:demo/), by bond id, in the order of their files. */
    private final Map<String, JsonNode> templates = new LinkedHashMap<>();

    public TermsFormPages(TermsDocumentReader termsReader, LedgerCommands commands, MessageSource messages,
                          BondPages bonds, org.sibledger.api.security.BondAccess access) {
        this.bonds = bonds;
        this.access = access;
        this.termsReader = termsReader;
        this.commands = commands;
        this.messages = messages;
        try {
            Resource[] documents = new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.json");
            Arrays.sort(documents, Comparator.comparing(Resource::getFilename));
            for (Resource document : documents) {
                try (InputStream in = document.getInputStream()) {
                    JsonNode terms = JSON.readTree(in);
                    templates.put(terms.path("bondId").asText(), terms);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A demo bond whose terms the form can start from. */
    public record Template(String id, String name, String mechanism) {
    }

    @InitBinder("form")
    void bindFields(WebDataBinder binder) {
        binder.initDirectFieldAccess();
    }

    /**
     * The start: a mechanism to start blank with, a demo bond to start from, or a terms file. With {@code mechanism}
     * or {@code template} the form itself.
     */
    @GetMapping("/app/arranger/terms")
    public String start(@RequestParam(required = false) String mechanism, @RequestParam(required = false) String template,
                        @RequestParam(required = false) String from, Authentication principal, Model model) {
        if (from != null && !from.isBlank()) {
            BondTerms current = access.requireParty(from, principal).terms();
            TermsForm form = TermsForm.from(JSON.valueToTree(current));
            form.bondId = from + "-copy";
            form.arranger = principal.getName();
            model.addAttribute("notice", text("terms.fromTemplate", current.name()));
            return form(form.withRowsToTypeInto(), Map.of(), model);
        }
        if (template != null && templates.containsKey(template)) {
            TermsForm form = TermsForm.from(templates.get(template));
            form.bondId = template + "-copy";
            form.arranger = principal.getName();
            model.addAttribute("notice", text("terms.fromTemplate", templates.get(template).path("name").asText()));
            return form(form.withRowsToTypeInto(), Map.of(), model);
        }
        if (mechanism != null && TermsForm.MECHANISMS.contains(mechanism)) {
            return form(TermsForm.empty(mechanism, principal.getName()), Map.of(), model);
        }
        return startPage(principal, model);
    }

    private String startPage(Authentication principal, Model model) {
        model.addAttribute("mechanisms", TermsForm.MECHANISMS);
        model.addAttribute("templates", templates());
        model.addAttribute("bonds", bonds.bondsOf(principal).stream()
                .filter(b -> principal.getName().equals(b.terms().parties().arranger())).toList());
        return "terms-start";
    }

    /** A bond's terms as they stand, as a JSON file (the document {@code POST /api/bonds} takes). */
    @GetMapping("/app/arranger/terms/current.json")
    public ResponseEntity<String> current(@RequestParam("from") String bond, Authentication principal) throws JsonProcessingException {
        BondTerms terms = access.requireParty(bond, principal).terms();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(terms.bondId() + ".json", StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(terms));
    }

    /**
     * The form sent back: {@code action=add:<list>} adds a row, {@code refresh} shows the chosen mechanism's part,
     * anything else structures the bond.
     */
    @PostMapping("/app/arranger/terms")
    public String submit(@ModelAttribute("form") TermsForm form, BindingResult binding,
                         @RequestParam(defaultValue = "structure") String action, Authentication principal,
                         Model model, RedirectAttributes redirect, HttpServletResponse response) {
        if (action.startsWith("add:")) {
            form.addRow(action.substring("add:".length()));
            model.addAttribute("focus", action.substring("add:".length()));
            return form(form.withRowsToTypeInto(), Map.of(), model);
        }
        if (!action.equals("structure")) {
            return form(form.withRowsToTypeInto(), Map.of(), model);
        }
        TermsForm.Document document = form.document();
        try {
            // the same reader and command as POST /api/bonds: the schema, then the ledger's own rules
            BondTerms terms = termsReader.read(document.json(), "");
            commands.sendAndAwaitReadModels(new StructureBondCommand(terms.bondId(), terms), principal.getName(), null);
            // the arranger goes on from the new bond's own page, where its lifecycle steps are (ArrangerPages)
            redirect.addFlashAttribute("notice", text("arranger.structured", terms.bondId()));
            return "redirect:" + UriComponentsBuilder.fromPath("/app/bonds/{b}").fragment("actions")
                    .buildAndExpand(terms.bondId()).encode().toUriString();
        } catch (CommandRefusedException e) {
            Map<String, String> errors = TermsFormErrors.of(e, form, document, this::text);
            response.setStatus(e.kind() == CommandRefusedException.Kind.CONFLICT ? HttpStatus.CONFLICT.value()
                    : HttpStatus.UNPROCESSABLE_ENTITY.value());
            model.addAttribute("problem", text("terms.notStructured", errors.size()));
            return form(form.withRowsToTypeInto(), errors, model);
        }
    }

    /** The terms document the form holds now, as a JSON file (to keep, to send to the API, to upload later). */
    @PostMapping("/app/arranger/terms/download")
    public ResponseEntity<String> download(@ModelAttribute("form") TermsForm form, BindingResult binding)
            throws JsonProcessingException {
        String file = form.bondId == null || !form.bondId.strip().matches("[a-z0-9-]{1,64}") ? "terms" : form.bondId.strip();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(file + ".json", StandardCharsets.UTF_8).build().toString())
                .contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(form.document().json()));
    }

    /** A terms file opened in the form, to check and structure there (nothing is structured yet). */
    @PostMapping("/app/arranger/terms/upload")
    public String upload(@RequestParam(value = "file", required = false) MultipartFile file, Authentication principal,
                         Model model, HttpServletResponse response) throws IOException {
        JsonNode document = null;
        if (file != null && !file.isEmpty()) {
            try {
                document = JSON.readTree(file.getBytes());
            } catch (JsonProcessingException e) {
                document = null;
            }
        }
        if (document == null || !document.isObject()) {
            response.setStatus(HttpStatus.UNPROCESSABLE_ENTITY.value());
            model.addAttribute("problem", text("terms.notAFile"));
            return startPage(principal, model);
        }
        TermsForm form = TermsForm.from(document);
        if (form.arranger == null) {
            form.arranger = principal.getName();
        }
        model.addAttribute("notice", text("terms.fromFile"));
        return form(form.withRowsToTypeInto(), Map.of(), model);
    }

    private String form(TermsForm form, Map<String, String> errors, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("mechanisms", TermsForm.MECHANISMS);
        model.addAttribute("metricIds", form.metricIds());
        model.addAttribute("trancheKinds", List.of("SENIOR", "SUBORDINATE", "FIRST_LOSS", "GUARANTEE"));
        model.addAttribute("excessOptions", List.of("OUTCOME_PAYERS", "SERVICE_PROVIDER", "INVESTORS_PRO_RATA"));
        return "terms-form";
    }

    private List<Template> templates() {
        return templates.entrySet().stream().map(t -> new Template(t.getKey(), t.getValue().path("name").asText(),
                t.getValue().path("paymentMechanism").path("type").asText())).toList();
    }

    /** The id of a form field's element: its name with brackets and dots made dashes ({@code payers-1-share}). */
    public String id(String name) {
        return name.replace("[", "-").replace("].", "-").replace("]", "").replace(".", "-");
    }

    /** The ids that describe a field: its hint and its problem, when it has them. */
    public String describedBy(String name, boolean hint, boolean error) {
        String ids = (hint ? id(name) + "-hint " : "") + (error ? id(name) + "-error" : "");
        return ids.isBlank() ? null : ids.strip();
    }

    String text(String code, Object... args) {
        return messages.getMessage(code, args, LocaleContextHolder.getLocale());
    }
}
