package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What the arranger's terms form holds: every field as typed (text, so that nothing typed is lost when the page comes
 * back with a problem), rows that repeat as lists, and one part per payment mechanism of which only the chosen one is
 * shown. Bound from the request by Spring's data binder over the public fields ({@code payers[1].share},
 * {@code rateCard.prices[0].price}); {@link #document()} turns it into the terms document of the API, and
 * {@link #from(JsonNode)} a terms document (a demo bond's, an uploaded file) into a form.
 */
public class TermsForm {

    /** The payment mechanisms, in the order the form offers them. */
    public static final List<String> MECHANISMS = List.of("RATE_CARD", "THRESHOLD_VS_COMPARISON", "WEIGHTED_TARGETS",
            "SAVINGS_SHARE", "GRADUATED");

    public String bondId;
    public String name;
    public String currency;
    public String contractCap;
    public String serviceStart;
    public String serviceEnd;
    public String outcomesEnd;
    public String arranger;
    public String mechanism;
    public List<Party> providers = new ArrayList<>();
    public List<Payer> payers = new ArrayList<>();
    public List<Party> evaluators = new ArrayList<>();
    public List<Party> investors = new ArrayList<>();
    public List<Party> reviewers = new ArrayList<>();
    public List<Metric> metrics = new ArrayList<>();
    public RateCard rateCard = new RateCard();
    public Threshold threshold = new Threshold();
    public Weighted weighted = new Weighted();
    public Savings savings = new Savings();
    public Graduated graduated = new Graduated();
    public List<Tranche> tranches = new ArrayList<>();
    public String excessTo;
    public String allowCommitmentsAfterOpening;

    public static class Party {
        public String id;

        boolean blank() {
            return TermsForm.blank(id);
        }
    }

    public static class Payer {
        public String id;
        public String share;
        public String cap;
        public String lead;

        boolean blank() {
            return TermsForm.blank(id, share, cap);
        }
    }

    public static class Metric {
        public String id;
        public String name;
        public String repeatable;

        boolean blank() {
            return TermsForm.blank(id, name);
        }
    }

    public static class RateCard {
        public List<Price> prices = new ArrayList<>();
        public String perParticipantCap;
    }

    public static class Price {
        public String metric;
        public String price;
        public String metricCap;

        boolean blank() {
            return TermsForm.blank(metric, price, metricCap);
        }
    }

    public static class Threshold {
        public String metric;
        public String lowerIsBetter;
        public String cohortThreshold;
        public String pooledThreshold;
        public String pricePerUnit;
        public String unitScale;
        public String cap;
    }

    public static class Weighted {
        public String maximumOutcomePayment;
        public List<Target> targets = new ArrayList<>();
    }

    public static class Target {
        public String metric;
        public String target;
        public String weight;

        boolean blank() {
            return TermsForm.blank(metric, target, weight);
        }
    }

    public static class Savings {
        public String metric;
        public String shareUntilRepaid;
        public String shareAfterRepaid;
        public String repaymentInterestRate;
        public List<SavingsTier> tiers = new ArrayList<>();
        public String cap;
    }

    public static class SavingsTier {
        public String upTo;
        public String share;

        boolean blank() {
            return TermsForm.blank(upTo, share);
        }
    }

    public static class Graduated {
        public String metric;
        public List<Tier> tiers = new ArrayList<>();
    }

    public static class Tier {
        public String atLeast;
        public String payment;

        boolean blank() {
            return TermsForm.blank(atLeast, payment);
        }
    }

    public static class Tranche {
        public String id;
        public String rank;
        public String returnCapIrr;
        public String kind;
        public String guaranteedShareOfPrincipal;
        /** The ids of the tranches a guarantee covers, separated by commas or spaces. */
        public String guaranteedTranches;

        boolean blank() {
            return TermsForm.blank(id, rank, returnCapIrr, guaranteedShareOfPrincipal, guaranteedTranches);
        }
    }

    // ------------------------------------------------------------------------------------------ rows

    /** The lists of rows the form can add to, by the name the page's "add a row" buttons give. */
    public static final List<String> ROWS = List.of("providers", "payers", "evaluators", "investors", "reviewers",
            "metrics", "rateCard.prices", "weighted.targets", "savings.tiers", "graduated.tiers", "tranches");

    /** Adds a blank row to the named list; false for a name that is not one. */
    public boolean addRow(String list) {
        return switch (list) {
            case "providers" -> providers.add(new Party());
            case "payers" -> payers.add(new Payer());
            case "evaluators" -> evaluators.add(new Party());
            case "investors" -> investors.add(new Party());
            case "reviewers" -> reviewers.add(new Party());
            case "metrics" -> metrics.add(new Metric());
            case "rateCard.prices" -> rateCard.prices.add(new Price());
            case "weighted.targets" -> weighted.targets.add(new Target());
            case "savings.tiers" -> savings.tiers.add(new SavingsTier());
            case "graduated.tiers" -> graduated.tiers.add(new Tier());
            case "tranches" -> tranches.add(new Tranche());
            default -> false;
        };
    }

    /** At least one row in every list the page shows, so that each has fields to type into. */
    public TermsForm withRowsToTypeInto() {
        for (String list : ROWS) {
            if (rows(list).isEmpty()) {
                addRow(list);
            }
        }
        return this;
    }

    private List<?> rows(String list) {
        return switch (list) {
            case "providers" -> providers;
            case "payers" -> payers;
            case "evaluators" -> evaluators;
            case "investors" -> investors;
            case "reviewers" -> reviewers;
            case "metrics" -> metrics;
            case "rateCard.prices" -> rateCard.prices;
            case "weighted.targets" -> weighted.targets;
            case "savings.tiers" -> savings.tiers;
            case "graduated.tiers" -> graduated.tiers;
            default -> tranches;
        };
    }

    /** The metric ids typed so far, offered where the mechanism names a metric. */
    public List<String> metricIds() {
        return metrics.stream().filter(m -> m != null && !blank(m.id)).map(m -> m.id.strip()).distinct().toList();
    }

    /** A blank form for the mechanism, with the signed-in arranger, one payer paying all, a senior tranche. */
    public static TermsForm empty(String mechanism, String arranger) {
        TermsForm form = new TermsForm();
        form.mechanism = MECHANISMS.contains(mechanism) ? mechanism : null;
        form.arranger = arranger;
        Payer payer = new Payer();
        payer.share = "1";
        form.payers.add(payer);
        Tranche senior = new Tranche();
        senior.id = "senior";
        senior.rank = "1";
        form.tranches.add(senior);
        return form.withRowsToTypeInto();
    }

    // ------------------------------------------------------------------------------------------ to the document

    /**
     * The terms document as the API takes it, from what was typed: blank rows are left out, values go as typed (the
     * ledger's own checks judge them). {@code kept} maps each list of the document back to the form's rows, so that a
     * problem the ledger finds at {@code /parties/outcomePayers/1} is shown at the form's row it came from.
     */
    public Document document() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        Map<String, List<Integer>> kept = new LinkedHashMap<>();
        put(doc, "bondId", bondId);
        put(doc, "name", name);
        put(doc, "currency", currency);
        put(doc, "contractCap", contractCap);
        put(doc, "serviceStart", serviceStart);
        put(doc, "serviceEnd", serviceEnd);
        put(doc, "outcomesEnd", outcomesEnd);
        ObjectNode parties = doc.putObject("parties");
        put(parties, "arranger", arranger);
        ids(parties, "serviceProviders", providers, "providers", kept, false);
        ArrayNode payerRows = parties.putArray("outcomePayers");
        rows(payers, Payer::blank, "payers", kept, p -> {
            ObjectNode row = payerRows.addObject();
            put(row, "id", p.id);
            put(row, "share", p.share);
            put(row, "cap", p.cap);
            if (checked(p.lead)) {
                row.put("lead", true);
            }
        });
        ids(parties, "evaluators", evaluators, "evaluators", kept, true);
        ids(parties, "investors", investors, "investors", kept, false);
        ids(parties, "reviewers", reviewers, "reviewers", kept, false);
        ArrayNode metricRows = doc.putArray("metrics");
        rows(metrics, Metric::blank, "metrics", kept, m -> {
            ObjectNode row = metricRows.addObject();
            put(row, "id", m.id);
            put(row, "name", m.name);
            row.put("repeatable", checked(m.repeatable));
        });
        if (mechanism != null && !mechanism.isBlank()) {
            doc.set("paymentMechanism", mechanism(kept));
        }
        List<Tranche> trancheRows = tranches.stream().filter(t -> t != null && !t.blank()).toList();
        if (!trancheRows.isEmpty() || !blank(excessTo) || checked(allowCommitmentsAfterOpening)) {
            ObjectNode investorTerms = doc.putObject("investorTerms");
            ArrayNode rows = investorTerms.putArray("tranches");
            rows(tranches, Tranche::blank, "tranches", kept, t -> {
                ObjectNode row = rows.addObject();
                put(row, "id", t.id);
                if (!blank(t.rank)) {
                    String rank = t.rank.strip();
                    if (rank.matches("[0-9]{1,9}")) {
                        row.put("rank", Integer.parseInt(rank));
                    } else {
                        row.put("rank", rank); // not a whole number: the ledger says so at the field
                    }
                }
                put(row, "returnCapIrr", t.returnCapIrr);
                put(row, "kind", t.kind);
                put(row, "guaranteedShareOfPrincipal", t.guaranteedShareOfPrincipal);
                if (!blank(t.guaranteedTranches)) {
                    ArrayNode guaranteed = row.putArray("guaranteedTranches");
                    Arrays.stream(t.guaranteedTranches.split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(guaranteed::add);
                }
            });
            put(investorTerms, "excessTo", excessTo);
            if (checked(allowCommitmentsAfterOpening)) {
                investorTerms.put("allowCommitmentsAfterOpening", true);
            }
        }
        return new Document(doc, kept);
    }

    /** A terms document and, per list of it, the form's row of each of its items. */
    public record Document(ObjectNode json, Map<String, List<Integer>> kept) {
    }

    private ObjectNode mechanism(Map<String, List<Integer>> kept) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("type", mechanism.strip());
        switch (mechanism.strip()) {
            case "RATE_CARD" -> {
                ArrayNode prices = m.putArray("prices");
                rows(rateCard.prices, Price::blank, "rateCard.prices", kept, p -> {
                    ObjectNode row = prices.addObject();
                    put(row, "metric", p.metric);
                    put(row, "price", p.price);
                    put(row, "metricCap", p.metricCap);
                });
                put(m, "perParticipantCap", rateCard.perParticipantCap);
            }
            case "THRESHOLD_VS_COMPARISON" -> {
                put(m, "metric", threshold.metric);
                if (!blank(threshold.lowerIsBetter)) {
                    m.put("lowerIsBetter", Boolean.parseBoolean(threshold.lowerIsBetter.strip()));
                }
                put(m, "cohortThreshold", threshold.cohortThreshold);
                put(m, "pooledThreshold", threshold.pooledThreshold);
                put(m, "pricePerUnit", threshold.pricePerUnit);
                put(m, "unitScale", threshold.unitScale);
                put(m, "cap", threshold.cap);
            }
            case "WEIGHTED_TARGETS" -> {
                put(m, "maximumOutcomePayment", weighted.maximumOutcomePayment);
                ArrayNode targets = m.putArray("targets");
                rows(weighted.targets, Target::blank, "weighted.targets", kept, t -> {
                    ObjectNode row = targets.addObject();
                    put(row, "metric", t.metric);
                    put(row, "target", t.target);
                    put(row, "weight", t.weight);
                });
            }
            case "SAVINGS_SHARE" -> {
                put(m, "metric", savings.metric);
                put(m, "shareUntilRepaid", savings.shareUntilRepaid);
                put(m, "shareAfterRepaid", savings.shareAfterRepaid);
                put(m, "repaymentInterestRate", savings.repaymentInterestRate);
                if (savings.tiers.stream().anyMatch(t -> t != null && !t.blank())) {
                    ArrayNode tiers = m.putArray("tiers");
                    rows(savings.tiers, SavingsTier::blank, "savings.tiers", kept, t -> {
                        ObjectNode row = tiers.addObject();
                        if (blank(t.upTo)) {
                            row.putNull("upTo"); // the last tier: no upper bound, as the terms write it
                        } else {
                            put(row, "upTo", t.upTo);
                        }
                        put(row, "share", t.share);
                    });
                }
                put(m, "cap", savings.cap);
            }
            case "GRADUATED" -> {
                put(m, "metric", graduated.metric);
                ArrayNode tiers = m.putArray("tiers");
                rows(graduated.tiers, Tier::blank, "graduated.tiers", kept, t -> {
                    ObjectNode row = tiers.addObject();
                    put(row, "atLeast", t.atLeast);
                    put(row, "payment", t.payment);
                });
            }
            default -> {
                // a type the ledger does not know: it says so at the mechanism
            }
        }
        return m;
    }

    private static <T> void rows(List<T> rows, java.util.function.Predicate<T> blank, String list,
                                 Map<String, List<Integer>> kept, java.util.function.Consumer<T> write) {
        List<Integer> indices = kept.computeIfAbsent(list, k -> new ArrayList<>());
        for (int i = 0; i < rows.size(); i++) {
            T row = rows.get(i);
            if (row != null && !blank.test(row)) {
                indices.add(i);
                write.accept(row);
            }
        }
    }

    private static void ids(ObjectNode parties, String field, List<Party> rows, String list,
                            Map<String, List<Integer>> kept, boolean always) {
        boolean any = rows.stream().anyMatch(p -> p != null && !p.blank());
        if (!any && !always) {
            return;
        }
        ArrayNode ids = parties.putArray(field);
        rows(rows, Party::blank, list, kept, p -> ids.add(p.id.strip()));
    }

    private static void put(ObjectNode node, String field, String value) {
        if (!blank(value)) {
            node.put(field, value.strip());
        }
    }

    static boolean checked(String box) {
        return box != null && (box.equals("on") || box.equals("true"));
    }

    static boolean blank(String... values) {
        return Stream.of(values).allMatch(v -> v == null || v.isBlank());
    }

    // ------------------------------------------------------------------------------------------ from a document

    /** A form holding a terms document's values as text (fields the form does not have are left behind). */
    public static TermsForm from(JsonNode doc) {
        TermsForm form = new TermsForm();
        form.bondId = text(doc, "bondId");
        form.name = text(doc, "name");
        form.currency = text(doc, "currency");
        form.contractCap = text(doc, "contractCap");
        form.serviceStart = text(doc, "serviceStart");
        form.serviceEnd = text(doc, "serviceEnd");
        form.outcomesEnd = text(doc, "outcomesEnd");
        JsonNode parties = doc.path("parties");
        form.arranger = text(parties, "arranger");
        form.providers = parties(parties.path("serviceProviders"));
        form.evaluators = parties(parties.path("evaluators"));
        form.investors = parties(parties.path("investors"));
        form.reviewers = parties(parties.path("reviewers"));
        form.payers = list(parties.path("outcomePayers"), Payer::new, (n, p) -> {
            p.id = text(n, "id");
            p.share = text(n, "share");
            p.cap = text(n, "cap");
            p.lead = n.path("lead").asBoolean(false) ? "on" : null;
        });
        form.metrics = list(doc.path("metrics"), Metric::new, (n, m) -> {
            m.id = text(n, "id");
            m.name = text(n, "name");
            m.repeatable = n.path("repeatable").asBoolean(false) ? "on" : null;
        });
        JsonNode m = doc.path("paymentMechanism");
        form.mechanism = text(m, "type");
        form.rateCard.prices = list(m.path("prices"), Price::new, (n, p) -> {
            p.metric = text(n, "metric");
            p.price = text(n, "price");
            p.metricCap = text(n, "metricCap");
        });
        form.rateCard.perParticipantCap = text(m, "perParticipantCap");
        if ("THRESHOLD_VS_COMPARISON".equals(form.mechanism)) {
            form.threshold.metric = text(m, "metric");
            form.threshold.lowerIsBetter = m.path("lowerIsBetter").isBoolean() ? String.valueOf(m.path("lowerIsBetter").asBoolean()) : null;
            form.threshold.cohortThreshold = text(m, "cohortThreshold");
            form.threshold.pooledThreshold = text(m, "pooledThreshold");
            form.threshold.pricePerUnit = text(m, "pricePerUnit");
            form.threshold.unitScale = text(m, "unitScale");
            form.threshold.cap = text(m, "cap");
        }
        form.weighted.maximumOutcomePayment = text(m, "maximumOutcomePayment");
        form.weighted.targets = list(m.path("targets"), Target::new, (n, t) -> {
            t.metric = text(n, "metric");
            t.target = text(n, "target");
            t.weight = text(n, "weight");
        });
        if ("SAVINGS_SHARE".equals(form.mechanism)) {
            form.savings.metric = text(m, "metric");
            form.savings.shareUntilRepaid = text(m, "shareUntilRepaid");
            form.savings.shareAfterRepaid = text(m, "shareAfterRepaid");
            form.savings.repaymentInterestRate = text(m, "repaymentInterestRate");
            form.savings.cap = text(m, "cap");
            form.savings.tiers = list(m.path("tiers"), SavingsTier::new, (n, t) -> {
                t.upTo = text(n, "upTo");
                t.share = text(n, "share");
            });
        }
        if ("GRADUATED".equals(form.mechanism)) {
            form.graduated.metric = text(m, "metric");
            form.graduated.tiers = list(m.path("tiers"), Tier::new, (n, t) -> {
                t.atLeast = text(n, "atLeast");
                t.payment = text(n, "payment");
            });
        }
        JsonNode investorTerms = doc.path("investorTerms");
        form.tranches = list(investorTerms.path("tranches"), Tranche::new, (n, t) -> {
            t.id = text(n, "id");
            t.rank = text(n, "rank");
            t.returnCapIrr = text(n, "returnCapIrr");
            t.kind = text(n, "kind");
            t.guaranteedShareOfPrincipal = text(n, "guaranteedShareOfPrincipal");
            List<String> guaranteed = new ArrayList<>();
            n.path("guaranteedTranches").forEach(g -> guaranteed.add(g.asText()));
            t.guaranteedTranches = guaranteed.isEmpty() ? null : String.join(", ", guaranteed);
        });
        form.excessTo = text(investorTerms, "excessTo");
        form.allowCommitmentsAfterOpening = investorTerms.path("allowCommitmentsAfterOpening").asBoolean(false) ? "on" : null;
        return form;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    private static List<Party> parties(JsonNode ids) {
        return list(ids, Party::new, (n, p) -> p.id = n.isValueNode() ? n.asText() : null);
    }

    private static <T> List<T> list(JsonNode array, Supplier<T> row, java.util.function.BiConsumer<JsonNode, T> read) {
        List<T> out = new ArrayList<>();
        if (array.isArray()) {
            for (JsonNode item : array) {
                T t = row.get();
                read.accept(item, t);
                out.add(t);
            }
        }
        return out;
    }
}
