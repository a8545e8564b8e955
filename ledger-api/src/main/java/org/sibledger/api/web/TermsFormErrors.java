package org.sibledger.api.web;

import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ledger's refusal of a terms document, said at the form's fields in the page's words. The ledger names each
 * problem by a JSON Pointer into the document and an English phrase (of its JSON Schema or of the terms' consistency
 * rules); here the pointer becomes the form's field (its row, when blank rows were left out of the document) and the
 * phrase one of the page's own messages, so that no pattern, type name or field name of the code reaches the reader.
 */
final class TermsFormErrors {

    /** The form's list that each list of the document comes from. */
    private static final Map<String, String> LISTS = new LinkedHashMap<>();

    static {
        LISTS.put("/parties/serviceProviders", "providers");
        LISTS.put("/parties/outcomePayers", "payers");
        LISTS.put("/parties/evaluators", "evaluators");
        LISTS.put("/parties/investors", "investors");
        LISTS.put("/parties/reviewers", "reviewers");
        LISTS.put("/metrics", "metrics");
        LISTS.put("/paymentMechanism/prices", "rateCard.prices");
        LISTS.put("/paymentMechanism/targets", "weighted.targets");
        LISTS.put("/investorTerms/tranches", "tranches");
    }

    private static final Set<String> PARTY_LISTS = Set.of("providers", "evaluators", "investors", "reviewers");

    private static final Set<String> MONEY = Set.of("contractCap", "cap", "metricCap", "price", "perParticipantCap",
            "pricePerUnit", "maximumOutcomePayment", "upTo", "payment");
    private static final Set<String> FRACTIONS = Set.of("share", "cohortThreshold", "pooledThreshold", "weight",
            "shareUntilRepaid", "shareAfterRepaid", "guaranteedShareOfPrincipal");
    private static final Set<String> POSITIVE = Set.of("target", "unitScale");
    private static final Set<String> RATES = Set.of("returnCapIrr", "repaymentInterestRate");
    private static final Set<String> DATES = Set.of("serviceStart", "serviceEnd", "outcomesEnd");
    private static final Set<String> CHOICES = Set.of("lowerIsBetter", "kind", "excessTo", "mechanism");
    private static final Set<String> IDS = Set.of("id", "arranger", "metric", "guaranteedTranches");

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern NOT = Pattern.compile("not (-?[0-9.]+)$");
    private static final Pattern MINOR_UNITS = Pattern.compile("currency's ([0-9]+) minor units");
    private static final Pattern RANK_AFTER = Pattern.compile("tranche '([^']*)' \\(rank ([0-9]+)\\)");

    private TermsFormErrors() {
    }

    /**
     * The refusal's problems by the form field they concern ({@code payers[1].share}, a list's name for a problem
     * of the list as a whole, {@code form} for the terms as a whole), each in the page's words.
     */
    static Map<String, String> of(CommandRefusedException refusal, TermsForm form, TermsForm.Document document,
                                  BiFunction<String, Object[], String> text) {
        Map<String, String> errors = new LinkedHashMap<>();
        switch (refusal.code()) {
            case "bond-already-exists" -> errors.put("bondId", text.apply("terms.error.bondExists", new Object[0]));
            case "not-the-arranger" -> errors.put("arranger", text.apply("terms.error.notTheArranger", new Object[0]));
            default -> {
                for (FieldViolation v : refusal.violations()) {
                    String field = field(v.pointer(), form, document.kept());
                    errors.merge(field, message(field, v.message(), form, text), (a, b) -> a.equals(b) ? a : a + " " + b);
                }
                if (errors.isEmpty()) {
                    errors.put("form", text.apply("terms.error.refused", new Object[0]));
                }
            }
        }
        return errors;
    }

    /** The form's field at a pointer of the document (or of the command, whose terms are under {@code /terms}). */
    static String field(String pointer, TermsForm form, Map<String, List<Integer>> kept) {
        String p = pointer.startsWith("/terms/") ? pointer.substring("/terms".length()) : pointer;
        if (p.equals("/terms") || p.equals("/") || p.isEmpty()) {
            return "form";
        }
        String tiers = "SAVINGS_SHARE".equals(form.mechanism) ? "savings.tiers" : "graduated.tiers";
        Map<String, String> lists = new LinkedHashMap<>(LISTS);
        lists.put("/paymentMechanism/tiers", tiers);
        for (Map.Entry<String, String> list : lists.entrySet()) {
            if (p.equals(list.getKey())) {
                return list.getValue();
            }
            if (p.startsWith(list.getKey() + "/")) {
                String[] rest = p.substring(list.getKey().length() + 1).split("/");
                int index;
                try {
                    index = Integer.parseInt(rest[0]);
                } catch (NumberFormatException e) {
                    return list.getValue();
                }
                List<Integer> rows = kept.getOrDefault(list.getValue(), List.of());
                int row = index < rows.size() ? rows.get(index) : index;
                String at = list.getValue() + "[" + row + "]";
                if (PARTY_LISTS.contains(list.getValue())) {
                    return at + ".id";
                }
                return rest.length > 1 ? at + "." + rest[1] : at;
            }
        }
        if (p.equals("/paymentMechanism") && "SAVINGS_SHARE".equals(form.mechanism)) {
            return "savings"; // either the switching shares or tiers: said over both
        }
        if (p.equals("/paymentMechanism") || p.equals("/paymentMechanism/type")) {
            return "mechanism";
        }
        if (p.startsWith("/paymentMechanism/")) {
            String part = switch (form.mechanism == null ? "" : form.mechanism) {
                case "RATE_CARD" -> "rateCard";
                case "THRESHOLD_VS_COMPARISON" -> "threshold";
                case "WEIGHTED_TARGETS" -> "weighted";
                case "SAVINGS_SHARE" -> "savings";
                case "GRADUATED" -> "graduated";
                default -> null;
            };
            return part == null ? "mechanism" : part + "." + p.substring("/paymentMechanism/".length()).split("/")[0];
        }
        if (p.equals("/parties")) {
            return "form";
        }
        if (p.startsWith("/parties/")) {
            return p.substring("/parties/".length()).split("/")[0];
        }
        if (p.equals("/investorTerms")) {
            return "tranches";
        }
        if (p.startsWith("/investorTerms/")) {
            return p.substring("/investorTerms/".length()).split("/")[0];
        }
        return p.substring(1).split("/")[0];
    }

    /** What is wrong, in the page's words: the ledger's phrase recognised, else what the field takes. */
    static String message(String field, String phrase, TermsForm form, BiFunction<String, Object[], String> text) {
        String m = phrase == null ? "" : phrase;
        String name = field.contains(".") ? field.substring(field.lastIndexOf('.') + 1) : field;
        String quoted = quoted(m);
        if (m.startsWith("duplicate")) {
            return text.apply("terms.error.duplicate", new Object[]{quoted});
        }
        if (m.startsWith("payer shares must add up to 1")) {
            return text.apply("terms.error.sharesSum", new Object[]{number(m)});
        }
        if (m.startsWith("weights must add up to 1")) {
            return text.apply("terms.error.weightsSum", new Object[]{number(m)});
        }
        if (m.startsWith("names metric '")) {
            return text.apply("terms.error.unknownMetric", new Object[]{quoted});
        }
        if (m.startsWith("names tranche '")) {
            return text.apply("terms.error.unknownTranche", new Object[]{quoted});
        }
        if (m.startsWith("names guarantee tranche")) {
            return text.apply("terms.error.guaranteesGuarantee", new Object[]{quoted});
        }
        if (m.startsWith("must be after serviceStart")) {
            return text.apply("terms.error.endBeforeStart", new Object[0]);
        }
        if (m.startsWith("must be on or after serviceEnd")) {
            return text.apply("terms.error.outcomesBeforeEnd", new Object[0]);
        }
        if (m.startsWith("has more decimals than the currency")) {
            Matcher units = MINOR_UNITS.matcher(m);
            return text.apply("terms.error.minorUnits", new Object[]{form.currency == null ? "" : form.currency.strip(),
                    units.find() ? units.group(1) : "2"});
        }
        if (m.startsWith("tiers must rise strictly")) {
            return text.apply("terms.error.tiersRise", new Object[0]);
        }
        if (m.startsWith("at most one payer leads")) {
            return text.apply("terms.error.oneLead", new Object[0]);
        }
        if (m.startsWith("is not an ISO 4217") || m.contains("not an ISO 4217")) {
            return text.apply("terms.error.currency", new Object[0]);
        }
        if (m.startsWith("give either")) {
            return text.apply("terms.error.savingsEither", new Object[0]);
        }
        if (m.startsWith("only a GUARANTEE tranche")) {
            return text.apply("terms.error.onlyGuarantee", new Object[0]);
        }
        if (m.contains("tranche must rank after")) {
            Matcher after = RANK_AFTER.matcher(m);
            return after.find() ? text.apply("terms.error.rankAfter", new Object[]{after.group(1), after.group(2)})
                    : text.apply("terms.format.rank", new Object[0]);
        }
        if (m.startsWith("must be less than 1000000000000000")) {
            return text.apply("terms.error.tooLarge", new Object[0]);
        }
        if (m.startsWith("has more than 10 decimals")) {
            return text.apply("terms.error.tooManyDecimals", new Object[0]);
        }
        if (m.startsWith("must be from 2000-01-01")) {
            return text.apply("terms.format.date", new Object[0]);
        }
        if (m.startsWith("is longer than")) {
            return text.apply("terms.error.tooLong", new Object[0]);
        }
        if (m.startsWith("holds a control character")) {
            return text.apply("terms.error.controlCharacter", new Object[0]);
        }
        if (m.startsWith("must be positive")) {
            return text.apply("terms.error.positive", new Object[0]);
        }
        if (m.startsWith("must not be negative")) {
            return text.apply("terms.error.negative", new Object[0]);
        }
        if (m.contains("unique")) {
            return text.apply("terms.error.duplicateRows", new Object[0]);
        }
        if (m.contains("at least")) {
            return text.apply("terms.error.atLeastOne", new Object[0]);
        }
        if (m.equals("is required") || m.startsWith("is required") || m.contains("required property")
                || m.contains("is missing")) {
            return CHOICES.contains(name) ? text.apply("terms.error.choose", new Object[0])
                    : text.apply("terms.error.required", new Object[0]);
        }
        return text.apply(format(field, name), new Object[0]);
    }

    /** The message saying how a field of this kind is written, for a value the ledger cannot read as one. */
    private static String format(String field, String name) {
        if (field.equals("bondId")) {
            return "terms.format.bondId";
        }
        if (field.equals("currency")) {
            return "terms.error.currency";
        }
        if (name.equals("name")) {
            return "terms.format.name";
        }
        if (MONEY.contains(name)) {
            return "terms.format.money";
        }
        if (FRACTIONS.contains(name)) {
            return "terms.format.fraction";
        }
        if (POSITIVE.contains(name)) {
            return "terms.format.positive";
        }
        if (RATES.contains(name)) {
            return "terms.format.rate";
        }
        if (DATES.contains(name)) {
            return "terms.format.date";
        }
        if (name.equals("rank")) {
            return "terms.format.rank";
        }
        if (name.equals("atLeast")) {
            return "terms.format.number";
        }
        if (CHOICES.contains(name)) {
            return "terms.error.choose";
        }
        if (IDS.contains(name)) {
            return "terms.format.id";
        }
        if (!field.contains(".") && !field.contains("[") && !field.equals("form")) {
            return "terms.error.rows";
        }
        return "terms.error.value";
    }

    private static String quoted(String message) {
        Matcher q = QUOTED.matcher(message);
        return q.find() ? q.group(1) : "";
    }

    private static String number(String message) {
        Matcher n = NOT.matcher(message.strip());
        return n.find() ? n.group(1) : "";
    }
}
