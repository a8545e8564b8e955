package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The arranger's terms form over HTTP, as a browser's posts reach it: a bond of each of the five payment mechanisms is
 * structured through the form (and is then the bond the API shows); rows are added without any script, what was typed
 * kept; the ledger's refusals are said at their fields in words, first the shape of a value, then the consistency of
 * the terms, in English and in Hebrew; every demo bond's terms start the form and go through as they are; the form's
 * document downloads as the JSON the API takes; and no one but an arranger may use it.
 */
class TermsFormPagesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/app/arranger/terms";

    /** The fields every bond of these tests has, as the form names them. */
    private static Map<String, List<String>> common(String bondId) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        put(form, "bondId", bondId);
        put(form, "name", "Form bond " + bondId);
        put(form, "currency", "GBP");
        put(form, "contractCap", "500000.00");
        put(form, "serviceStart", "2024-01-01");
        put(form, "serviceEnd", "2026-12-31");
        put(form, "arranger", "arranger");
        put(form, "payers[0].id", "payer");
        put(form, "payers[0].share", "1");
        put(form, "payers[0].cap", "500000.00");
        put(form, "evaluators[0].id", "evaluator");
        put(form, "reviewers[0].id", "reviewer");
        put(form, "providers[0].id", "provider");
        put(form, "investors[0].id", "investor");
        put(form, "metrics[0].id", "m1");
        put(form, "metrics[0].name", "Metric one");
        put(form, "metrics[1].id", "m2");
        put(form, "metrics[1].name", "Metric two");
        put(form, "metrics[1].repeatable", "on");
        put(form, "tranches[0].id", "senior");
        put(form, "tranches[0].rank", "1");
        put(form, "tranches[0].returnCapIrr", "0.10");
        put(form, "action", "structure");
        return form;
    }

    private static Map<String, List<String>> put(Map<String, List<String>> form, String name, String value) {
        form.put(name, List.of(value));
        return form;
    }

    private static JsonNode bond(String bondId) {
        return node.api("arranger").get("/api/bonds/" + bondId).expect(200);
    }

    @Test
    void aBondOfEachMechanismIsStructuredThroughTheForm() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        assertThat(arranger.get(PATH).body()).contains("Rate card").contains("Share of savings").contains("Reboot West");

        Map<String, List<String>> rateCard = common("form-rate-card");
        put(rateCard, "mechanism", "RATE_CARD");
        put(rateCard, "rateCard.prices[0].metric", "m1");
        put(rateCard, "rateCard.prices[0].price", "100.00");
        put(rateCard, "rateCard.prices[1].metric", "m2");
        put(rateCard, "rateCard.prices[1].price", "50.00");
        put(rateCard, "rateCard.prices[1].metricCap", "1000.00");
        put(rateCard, "rateCard.perParticipantCap", "400.00");
        structure(arranger, rateCard);
        JsonNode terms = bond("form-rate-card").get("terms");
        assertThat(terms.at("/paymentMechanism/type").asText()).isEqualTo("RATE_CARD");
        assertThat(decimal(terms.at("/paymentMechanism/prices/1/metricCap"))).isEqualByComparingTo("1000");
        assertThat(decimal(terms.at("/paymentMechanism/perParticipantCap"))).isEqualByComparingTo("400");
        assertThat(terms.at("/metrics/1/repeatable").asBoolean()).isTrue();
        assertThat(terms.at("/metrics/0/repeatable").asBoolean()).isFalse();
        assertThat(decimal(terms.at("/parties/outcomePayers/0/cap"))).isEqualByComparingTo("500000");
        assertThat(terms.at("/parties/reviewers/0").asText()).isEqualTo("reviewer");
        assertThat(decimal(terms.at("/investorTerms/tranches/0/returnCapIrr"))).isEqualByComparingTo("0.10");

        Map<String, List<String>> threshold = common("form-threshold");
        put(threshold, "mechanism", "THRESHOLD_VS_COMPARISON");
        put(threshold, "threshold.metric", "m1");
        put(threshold, "threshold.lowerIsBetter", "true");
        put(threshold, "threshold.cohortThreshold", "0.10");
        put(threshold, "threshold.pooledThreshold", "0.075");
        put(threshold, "threshold.pricePerUnit", "1000.00");
        put(threshold, "threshold.unitScale", "100");
        put(threshold, "threshold.cap", "400000.00");
        structure(arranger, threshold);
        terms = bond("form-threshold").get("terms");
        assertThat(terms.at("/paymentMechanism/type").asText()).isEqualTo("THRESHOLD_VS_COMPARISON");
        assertThat(terms.at("/paymentMechanism/lowerIsBetter").asBoolean()).isTrue();
        assertThat(decimal(terms.at("/paymentMechanism/pooledThreshold"))).isEqualByComparingTo("0.075");
        assertThat(decimal(terms.at("/paymentMechanism/cap"))).isEqualByComparingTo("400000");

        Map<String, List<String>> weighted = common("form-weighted");
        put(weighted, "mechanism", "WEIGHTED_TARGETS");
        put(weighted, "weighted.maximumOutcomePayment", "400000.00");
        put(weighted, "weighted.targets[0].metric", "m1");
        put(weighted, "weighted.targets[0].target", "5592");
        put(weighted, "weighted.targets[0].weight", "0.8");
        put(weighted, "weighted.targets[1].metric", "m2");
        put(weighted, "weighted.targets[1].target", "0.79");
        put(weighted, "weighted.targets[1].weight", "0.2");
        structure(arranger, weighted);
        terms = bond("form-weighted").get("terms");
        assertThat(terms.at("/paymentMechanism/type").asText()).isEqualTo("WEIGHTED_TARGETS");
        assertThat(decimal(terms.at("/paymentMechanism/targets/1/target"))).isEqualByComparingTo("0.79");

        Map<String, List<String>> savings = common("form-savings");
        put(savings, "mechanism", "SAVINGS_SHARE");
        put(savings, "savings.metric", "m1");
        put(savings, "savings.tiers[0].upTo", "100000.00");
        put(savings, "savings.tiers[0].share", "0.5");
        put(savings, "savings.tiers[1].share", "0.25");
        put(savings, "savings.cap", "300000.00");
        structure(arranger, savings);
        terms = bond("form-savings").get("terms");
        assertThat(terms.at("/paymentMechanism/type").asText()).isEqualTo("SAVINGS_SHARE");
        assertThat(terms.at("/paymentMechanism/tiers")).hasSize(2);
        assertThat(absent(terms.at("/paymentMechanism/tiers/1/upTo"))).as("the last tier has no upper bound").isTrue();
        assertThat(absent(terms.at("/paymentMechanism/shareUntilRepaid"))).isTrue();

        Map<String, List<String>> graduated = common("form-graduated");
        put(graduated, "currency", "ILS");
        put(graduated, "mechanism", "GRADUATED");
        put(graduated, "graduated.metric", "m1");
        put(graduated, "graduated.tiers[0].atLeast", "0.10");
        put(graduated, "graduated.tiers[0].payment", "100000.00");
        put(graduated, "graduated.tiers[1].atLeast", "0.20");
        put(graduated, "graduated.tiers[1].payment", "200000.00");
        put(graduated, "tranches[1].id", "crowd");
        put(graduated, "tranches[1].rank", "1");
        structure(arranger, graduated);
        JsonNode view = bond("form-graduated");
        assertThat(view.get("currency").asText()).isEqualTo("ILS");
        assertThat(decimal(view.at("/terms/paymentMechanism/tiers/1/payment"))).isEqualByComparingTo("200000");
        assertThat(view.at("/terms/investorTerms/tranches")).hasSize(2);
        assertThat(view.get("status").asText()).isEqualTo("STRUCTURED");
    }

    /** A decimal of the API's JSON, which writes them as strings so that nothing is rounded. */
    private static java.math.BigDecimal decimal(JsonNode value) {
        return new java.math.BigDecimal(value.asText());
    }

    private static boolean absent(JsonNode value) {
        return value.isNull() || value.isMissingNode();
    }

    /**
     * Posts the form, expects to land on the new bond's page at its lifecycle steps (ArrangerPages' forms, the first
     * of which opens it), with the notice there; and the bond on the arranger's list.
     */
    private static void structure(PageSession arranger, Map<String, List<String>> form) {
        String bondId = form.get("bondId").get(0);
        PageSession.Page answer = arranger.post(PATH, form);
        assertThat(answer.status()).as(errorsOf(answer.body()).toString()).isEqualTo(302);
        assertThat(answer.location()).endsWith("/app/bonds/" + bondId + "#actions");
        String landed = arranger.get("/app/bonds/" + bondId).body();
        String actions = landed.substring(landed.indexOf("data-testid=\"actions\""));
        assertThat(actions).contains("data-testid=\"notice\"").contains("Bond " + bondId + " structured.")
                .contains("id=\"act-open\"").contains("id=\"act-party\"")
                .contains("action=\"/app/arranger/bonds/" + bondId + "/opening\"");
        assertThat(arranger.get("/app/arranger").body()).contains("/app/bonds/" + bondId);
    }

    @Test
    void rowsAreAddedWithoutScriptAndWhatWasTypedIsKept() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        String blank = arranger.get(PATH + "?mechanism=RATE_CARD").body();
        assertThat(blank).contains("name=\"payers[0].id\"").doesNotContain("name=\"payers[1].id\"")
                .contains("name=\"rateCard.prices[0].price\"").contains("data-mechanism=\"RATE_CARD\"")
                .doesNotContain("data-mechanism=\"GRADUATED\"").doesNotContain("<textarea");

        Map<String, List<String>> form = common("form-rows");
        put(form, "mechanism", "RATE_CARD");
        put(form, "payers[0].share", "0.6");
        put(form, "rateCard.prices[0].metric", "m1");
        put(form, "rateCard.prices[0].price", "12.50");
        put(form, "action", "add:payers");
        PageSession.Page page = arranger.post(PATH, form);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("name=\"payers[1].id\"").contains("value=\"0.6\"").contains("value=\"12.50\"")
                .contains("value=\"Form bond form-rows\"").contains("<option value=\"m2\">")
                .doesNotContain("name=\"payers[2].id\"").doesNotContain("data-testid=\"field-error\"");

        put(form, "payers[1].id", "payer2");
        put(form, "payers[1].share", "0.4");
        put(form, "action", "add:rateCard.prices");
        page = arranger.post(PATH, form);
        assertThat(page.body()).contains("name=\"rateCard.prices[1].price\"").contains("value=\"payer2\"");

        // another mechanism's part, on asking, with the rest kept
        put(form, "mechanism", "GRADUATED");
        put(form, "action", "refresh");
        page = arranger.post(PATH, form);
        assertThat(page.body()).contains("data-mechanism=\"GRADUATED\"").contains("name=\"graduated.tiers[0].atLeast\"")
                .doesNotContain("data-mechanism=\"RATE_CARD\"").contains("value=\"payer2\"");
        node.api("arranger").get("/api/bonds/form-rows").expect(404);
    }

    @Test
    void whatTheLedgerRefusesIsSaidAtItsFieldInWords() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        arranger.get(PATH);
        Map<String, List<String>> form = common("My Bond");
        put(form, "currency", "pounds");
        put(form, "serviceStart", "1st of May");
        put(form, "mechanism", "RATE_CARD");
        // a blank first row is left out: the ledger's "prices/0" is the form's second row
        put(form, "rateCard.prices[1].metric", "nope");
        put(form, "rateCard.prices[1].price", "12,50");
        put(form, "tranches[0].rank", "first");
        PageSession.Page page = arranger.post(PATH, form);
        assertThat(page.status()).isEqualTo(422);
        Map<String, String> errors = errorsOf(page.body());
        assertThat(errors).containsKeys("bondId", "currency", "serviceStart", "rateCard-prices-1-price", "tranches-0-rank");
        assertThat(errors.get("bondId")).contains("lower-case letters");
        assertThat(errors.get("currency")).contains("three capital letters");
        assertThat(errors.get("serviceStart")).contains("YYYY-MM-DD");
        assertThat(errors.get("rateCard-prices-1-price")).contains("no commas");
        assertThat(errors.get("tranches-0-rank")).contains("whole number");
        assertInWords(errors);
        assertThat(page.body()).contains("value=\"My Bond\"").contains("value=\"12,50\"").contains("value=\"1st of May\"")
                .contains("value=\"first\"").contains("aria-describedby=\"rateCard-prices-1-price-hint rateCard-prices-1-price-error\"")
                .contains("href=\"#rateCard-prices-1-price\"").contains("Nothing was structured");

        // the values now read, the terms' consistency: said at the row, the list, the date
        put(form, "bondId", "form-errors");
        put(form, "currency", "GBP");
        put(form, "serviceStart", "2027-01-01");
        put(form, "rateCard.prices[1].price", "12.50");
        put(form, "tranches[0].rank", "1");
        put(form, "tranches[1].id", "junior");
        put(form, "tranches[1].rank", "1");
        put(form, "tranches[1].kind", "FIRST_LOSS");
        put(form, "payers[0].share", "0.5");
        put(form, "payers[0].cap", "100.005");
        page = arranger.post(PATH, form);
        assertThat(page.status()).isEqualTo(422);
        errors = errorsOf(page.body());
        assertThat(errors.get("rateCard-prices-1-metric")).isEqualTo("There is no metric 'nope' under Metrics. Use the id of one of them, or add it there.");
        assertThat(errors.get("payers")).isEqualTo("The payers' shares add up to 0.5; they must add up to exactly 1.");
        assertThat(errors.get("serviceEnd")).isEqualTo("The service must end after it starts.");
        assertThat(errors.get("payers-0-cap")).isEqualTo("Amounts in GBP have at most 2 decimals.");
        assertThat(errors.get("tranches-1-rank")).contains("tranche 'senior' (rank 1)");
        assertInWords(errors);
        assertThat(page.body()).contains("value=\"nope\"").contains("value=\"100.005\"").contains("value=\"junior\"")
                .contains("<option value=\"FIRST_LOSS\" selected=\"selected\">");
        node.api("arranger").get("/api/bonds/form-errors").expect(404);

        // fixed, it goes through; the same id again is refused at the id
        put(form, "serviceStart", "2024-01-01");
        put(form, "rateCard.prices[1].metric", "m1");
        put(form, "tranches[1].rank", "2");
        put(form, "payers[0].share", "1");
        put(form, "payers[0].cap", "100.00");
        structure(arranger, form);
        arranger.get(PATH);
        errors = errorsOf(arranger.post(PATH, form).body());
        assertThat(errors).containsOnlyKeys("bondId");
        assertThat(errors.get("bondId")).contains("exists already");

        // a bond only its own arranger structures: said at the arranger
        put(form, "bondId", "form-someone-else");
        put(form, "arranger", "arranger2");
        errors = errorsOf(arranger.post(PATH, form).body());
        assertThat(errors).containsOnlyKeys("arranger");
        assertInWords(errors);
    }

    private static void assertInWords(Map<String, String> errors) {
        for (String error : errors.values()) {
            assertThat(error).doesNotContain("^").doesNotContain("regex").doesNotContain("pattern").doesNotContain("$")
                    .doesNotContain("java").doesNotContain("Exception").doesNotContain("serviceStart")
                    .doesNotContain("/parties").doesNotContain("FIRST_LOSS").doesNotContain("SENIOR");
        }
    }

    /** Each field's problem on the page, by the field's id. */
    private static Map<String, String> errorsOf(String page) {
        Map<String, String> errors = new LinkedHashMap<>();
        Matcher m = Pattern.compile("id=\"([^\"]+)-error\"[^>]*>([^<]*)<").matcher(page);
        while (m.find()) {
            errors.put(m.group(1), unescape(m.group(2)));
        }
        return errors;
    }

    @Test
    void everyDemoBondsTermsStartTheFormAndGoThroughAsTheyAre() throws IOException {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        for (String template : List.of("reboot-west", "peterborough", "educate-girls", "tel-aviv-loneliness",
                "families-employment")) {
            String page = arranger.get(PATH + "?template=" + template).body();
            assertThat(page).contains("value=\"" + template + "-copy\"");
            Map<String, List<String>> fields = fieldsOf(page);
            fields.put("action", List.of("structure"));
            PageSession.Page answer = arranger.post(PATH, fields);
            assertThat(answer.status()).as(template + ": " + errorsOf(answer.body())).isEqualTo(302);

            JsonNode demo = demo(template);
            JsonNode copy = bond(template + "-copy").get("terms");
            for (String part : List.of("/paymentMechanism", "/metrics", "/parties", "/investorTerms/tranches")) {
                assertThat(normalised(copy.at(part))).as(template + part).isEqualTo(normalised(demo.at(part)));
            }
            assertThat(copy.get("name").asText()).isEqualTo(demo.get("name").asText());
            assertThat(copy.get("serviceEnd").asText()).isEqualTo(demo.get("serviceEnd").asText());
        }
        String peterborough = arranger.get(PATH + "?template=peterborough").body();
        assertThat(peterborough).contains("data-mechanism=\"THRESHOLD_VS_COMPARISON\"").contains("value=\"0.075\"")
                .contains("<option value=\"true\" selected=\"selected\">");
    }

    /** A terms part with its numbers as numbers and its absent or null fields dropped, to compare. */
    private static JsonNode normalised(JsonNode node) throws IOException {
        String text = JSON.writeValueAsString(node);
        JsonNode tree = JSON.readTree(text);
        strip(tree);
        return tree;
    }

    private static void strip(JsonNode tree) {
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            List<String> drop = new ArrayList<>();
            object.fields().forEachRemaining(f -> {
                if (f.getValue().isNull() || f.getValue().isArray() && f.getValue().isEmpty()
                        || f.getValue().isBoolean() && !f.getValue().asBoolean()) {
                    drop.add(f.getKey());
                } else if (f.getValue().isTextual() && f.getValue().asText().matches("-?[0-9]+(\\.[0-9]+)?")) {
                    object.put(f.getKey(), new java.math.BigDecimal(f.getValue().asText()).stripTrailingZeros().toPlainString());
                } else if (f.getValue().isNumber()) {
                    object.put(f.getKey(), f.getValue().decimalValue().stripTrailingZeros().toPlainString());
                } else {
                    strip(f.getValue());
                }
            });
            drop.forEach(object::remove);
            // the kind a tranche takes from its rank is written out once read; the demo leaves it to the rank
            object.remove("kind");
        } else if (tree.isArray()) {
            tree.forEach(TermsFormPagesTest::strip);
        }
    }

    private static JsonNode demo(String bondId) throws IOException {
        for (int i = 1; i <= 5; i++) {
            try (InputStream in = TermsFormPagesTest.class.getResourceAsStream("/demo/" + i + "-" + bondId + ".json")) {
                if (in != null) {
                    return JSON.readTree(in);
                }
            }
        }
        throw new AssertionError("no demo terms of " + bondId);
    }

    /** The fields a browser would send from the page's terms form: inputs, checked boxes, chosen options. */
    private static Map<String, List<String>> fieldsOf(String page) {
        String form = page.substring(page.indexOf("<form method=\"post\" class=\"terms\""));
        form = form.substring(0, form.indexOf("</form>"));
        Map<String, List<String>> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("<input([^>]*)>").matcher(form);
        while (input.find()) {
            String attributes = input.group(1);
            String name = attribute(attributes, "name");
            if (name == null || name.equals("_csrf")) {
                continue;
            }
            if ("checkbox".equals(attribute(attributes, "type")) && !attributes.contains("checked")) {
                continue;
            }
            String value = attribute(attributes, "value");
            fields.put(name, List.of(value == null ? ("checkbox".equals(attribute(attributes, "type")) ? "on" : "") : value));
        }
        Matcher select = Pattern.compile("<select([^>]*)>(.*?)</select>", Pattern.DOTALL).matcher(form);
        while (select.find()) {
            Matcher chosen = Pattern.compile("<option value=\"([^\"]*)\" selected=\"selected\"").matcher(select.group(2));
            fields.put(attribute(select.group(1), "name"), List.of(chosen.find() ? unescape(chosen.group(1)) : ""));
        }
        return fields;
    }

    private static String attribute(String attributes, String name) {
        Matcher m = Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(attributes);
        return m.find() ? unescape(m.group(1)) : null;
    }

    private static String unescape(String html) {
        return html.replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    @Test
    void theFormsDocumentDownloadsAsTheJsonTheApiTakes() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        arranger.get(PATH);
        Map<String, List<String>> form = common("form-downloaded");
        put(form, "mechanism", "GRADUATED");
        put(form, "graduated.metric", "m2");
        put(form, "graduated.tiers[0].atLeast", "0.3");
        put(form, "graduated.tiers[0].payment", "1000.00");
        form.remove("action");
        PageSession.Page file = arranger.post(PATH + "/download", form);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.contentType()).startsWith("application/json");
        node.api("arranger").post("/api/bonds", file.body()).expect(201);
        assertThat(decimal(bond("form-downloaded").at("/terms/paymentMechanism/tiers/0/atLeast")))
                .isEqualByComparingTo("0.3");

        // a bond's terms as they stand download too, and start the form for a bond like it
        assertThat(arranger.get(PATH).body()).contains("<option value=\"form-downloaded\">");
        PageSession.Page current = arranger.get(PATH + "/current.json?from=form-downloaded");
        assertThat(current.status()).isEqualTo(200);
        assertThat(current.body()).contains("\"bondId\" : \"form-downloaded\"").contains("GRADUATED");
        String copy = arranger.get(PATH + "?from=form-downloaded").body();
        assertThat(copy).contains("value=\"form-downloaded-copy\"").contains("data-mechanism=\"GRADUATED\"")
                .contains("value=\"0.3\"");
    }

    @Test
    void aTermsFileOpensInTheFormToCheckAndStructure() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        assertThat(arranger.get("/app/arranger").body()).contains("href=\"/app/arranger/terms\"").doesNotContain("<textarea");
        PageSession.Page page = arranger.postFile(PATH + "/upload", "file", "terms.json",
                org.sibledger.api.support.Terms.rateCard("form-uploaded"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"form-uploaded\"").contains("value=\"2750.00\"")
                .contains("data-mechanism=\"RATE_CARD\"").contains("The form holds the terms from your file");
        node.api("arranger").get("/api/bonds/form-uploaded").expect(404);
        Map<String, List<String>> fields = fieldsOf(page.body());
        fields.put("action", List.of("structure"));
        assertThat(arranger.post(PATH, fields).status()).isEqualTo(302);
        assertThat(decimal(bond("form-uploaded").at("/terms/paymentMechanism/prices/0/price"))).isEqualByComparingTo("2750");

        PageSession.Page notTerms = arranger.postFile(PATH + "/upload", "file", "notes.json", "my terms, roughly");
        assertThat(notTerms.status()).isEqualTo(422);
        assertThat(notTerms.body()).contains("That file is not a terms document the form can read");
    }

    /**
     * Each field of the form is one input with its own label: the fragment that writes a field is selected by its name
     * alone, not also by every {@code <input>} of the fragments' file (a selector named {@code input} had put an
     * unlabelled checkbox of the same name after every text field, in both languages, each mechanism's part too).
     */
    @Test
    void everyFieldIsOneInputWithItsLabel() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        for (String mechanism : List.of("RATE_CARD", "THRESHOLD_VS_COMPARISON", "WEIGHTED_TARGETS", "SAVINGS_SHARE", "GRADUATED")) {
            for (String lang : List.of("en", "he")) {
                String page = arranger.get(PATH + "?mechanism=" + mechanism + "&lang=" + lang).body();
                Matcher inputs = Pattern.compile("<input\\b[^>]*>").matcher(page);
                Map<String, Integer> names = new LinkedHashMap<>();
                List<String> unlabelled = new ArrayList<>();
                int checkboxes = 0;
                while (inputs.find()) {
                    String input = inputs.group();
                    Matcher name = Pattern.compile("\\sname=\"([^\"]+)\"").matcher(input);
                    if (input.contains("type=\"hidden\"") || !name.find()) {
                        continue;
                    }
                    names.merge(name.group(1), 1, Integer::sum);
                    checkboxes += input.contains("type=\"checkbox\"") ? 1 : 0;
                    Matcher id = Pattern.compile("\\sid=\"([^\"]+)\"").matcher(input);
                    if (!id.find() || !page.contains("for=\"" + id.group(1) + "\"")) {
                        unlabelled.add(input);
                    }
                }
                assertThat(unlabelled).as("inputs without a label, %s in %s", mechanism, lang).isEmpty();
                assertThat(names).as("inputs by name, %s in %s", mechanism, lang).containsKeys("bondId", "payers[0].share")
                        .allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
                // the yes/no boxes the form has: the lead payer, a repeatable metric, commitments after opening
                assertThat(checkboxes).as("checkboxes, %s in %s", mechanism, lang).isEqualTo(3);
            }
        }
        arranger.get(PATH + "?lang=en");
    }

    @Test
    void theFormSpeaksHebrew() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        String page = arranger.get(PATH + "?mechanism=GRADUATED&lang=he").body();
        assertThat(page).contains("dir=\"rtl\"").contains("מדורג לפי הצלחה").contains("מדרגה \u20681\u2069").contains("הוספת משלם תוצאות")
                .contains("בניית האג&quot;ח").doesNotContain("Add an outcome payer").doesNotContain("Structure the bond");
        assertThat(arranger.get(PATH).body()).contains("התחלה מטופס ריק").contains("מחירון תוצאות");

        Map<String, List<String>> form = common("form-hebrew");
        put(form, "mechanism", "GRADUATED");
        put(form, "graduated.metric", "m9");
        put(form, "graduated.tiers[0].atLeast", "0.3");
        put(form, "graduated.tiers[0].payment", "1000.00");
        put(form, "payers[0].share", "0.9");
        Map<String, String> errors = errorsOf(arranger.post(PATH, form).body());
        // the figures and ids in them isolated, so the right-to-left sentence keeps them in order
        assertThat(errors.get("payers")).isEqualTo("סכום החלקים של המשלמים הוא \u20680.9\u2069; הוא צריך להיות בדיוק 1.");
        assertThat(errors.get("graduated-metric")).contains("אין מדד '\u2068m9\u2069'");
        assertInWords(errors);

        // once right, the bond is structured and the arranger lands on its steps, told so in Hebrew
        put(form, "graduated.metric", "m1");
        put(form, "payers[0].share", "1");
        PageSession.Page answer = arranger.post(PATH, form);
        assertThat(answer.status()).as(errorsOf(answer.body()).toString()).isEqualTo(302);
        assertThat(answer.location()).endsWith("/app/bonds/form-hebrew#actions");
        String landed = arranger.get("/app/bonds/form-hebrew").body();
        assertThat(landed).contains("האגרה \u2068form-hebrew\u2069 נוצרה. השלבים הבאים שלה כאן למטה")
                .contains("פתיחת האגרה").doesNotContain("structured.");
        arranger.get(PATH + "?lang=en");
    }

    @Test
    void onlyAnArrangerMayUseTheForm() {
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        investor.get("/app/investor");
        assertThat(investor.get(PATH).status()).isEqualTo(403);
        assertThat(investor.get(PATH + "?mechanism=RATE_CARD").status()).isEqualTo(403);
        Map<String, List<String>> form = common("form-by-investor");
        put(form, "arranger", "investor");
        put(form, "mechanism", "GRADUATED");
        put(form, "graduated.metric", "m1");
        put(form, "graduated.tiers[0].atLeast", "0.3");
        put(form, "graduated.tiers[0].payment", "1000.00");
        assertThat(investor.post(PATH, form).status()).isEqualTo(403);
        assertThat(investor.post(PATH + "/download", form).status()).isEqualTo(403);
        node.api("arranger").get("/api/bonds/form-by-investor").expect(404);
    }

    @Test
    void everyWordOfTheFormIsInBothLanguages() throws IOException {
        Properties english = properties("/terms-form.properties");
        Properties hebrew = properties("/terms-form_he.properties");
        assertThat(hebrew.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
        for (String key : hebrew.stringPropertyNames()) {
            assertThat(hebrew.getProperty(key)).as(key).isNotEqualTo(english.getProperty(key));
        }
    }

    private static Properties properties(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = TermsFormPagesTest.class.getResourceAsStream(resource)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
