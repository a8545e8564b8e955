package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;
import org.springframework.web.util.HtmlUtils;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page of every role, over HTTP in Hebrew ({@code ?lang=he}), with the demo's bonds: no words of the pages are
 * left in English. What a page shows of the bonds' own data (their names, metrics, parties, ids, as the terms write
 * them) is not the pages' words and is taken out first, as is what the pages isolate as data ({@code <bdi>},
 * {@code <code>}, hashes, a text area's content, text between U+2068 and U+2069); what is left may hold single Latin
 * tokens (GBP, IRR, CSV) but no run of two English words.
 */
class HebrewPagesTest {

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension("--demo");

    private static final List<String> USERS = List.of("investor", "investor2", "payer", "payer2", "evaluator", "arranger",
            "provider", "reviewer", "admin");
    private static final Pattern ENGLISH = Pattern.compile("[A-Za-z][A-Za-z'’]+(?:[ ,;:()/-]+[A-Za-z][A-Za-z'’]*)+");
    private static final Pattern BOND_LINK = Pattern.compile("href=\"/app/bonds/([a-z0-9-]+)\"");
    private static final Pattern DECISION_LINK = Pattern.compile("href=\"(/app/payer/bonds/[^\"?]+/decision\\?decision=[A-Z]+)\"");

    @BeforeAll
    static void theDemoIsInTheViews() {
        node.api("investor").await("/api/investors/investor/portfolio",
                r -> r.status() == 200 && r.json().get("positions").size() == 5);
        node.api("arranger").await("/api/bonds/families-employment/history?size=500",
                r -> r.status() == 200 && r.body().contains("employed-2023Q4"));
    }

    @Test
    void everyPageOfEveryRoleSpeaksHebrew() {
        Set<String> data = bondData();
        Map<String, Set<String>> english = new TreeMap<>();
        for (String user : USERS) {
            PageSession session;
            try {
                session = PageSession.signIn(node.node().baseUrl(), user);
            } catch (AssertionError noSuchUser) {
                continue;
            }
            Set<String> paths = new LinkedHashSet<>();
            String home = session.get("/app/bonds?lang=he").body();
            paths.add("/app/bonds");
            Matcher bond = BOND_LINK.matcher(home);
            while (bond.find()) {
                paths.add("/app/bonds/" + bond.group(1));
            }
            switch (user) {
                case "investor", "investor2" -> paths.add("/app/investor");
                case "payer", "payer2" -> {
                    paths.add("/app/payer");
                    Matcher decision = DECISION_LINK.matcher(session.get("/app/payer").body());
                    for (int i = 0; i < 3 && decision.find(); i++) {
                        paths.add(HtmlUtils.htmlUnescape(decision.group(1)));
                    }
                }
                case "evaluator" -> paths.add("/app/evaluator");
                case "arranger" -> {
                    paths.add("/app/arranger");
                    paths.add("/app/arranger/terms");
                    for (String mechanism : TermsForm.MECHANISMS) {
                        paths.add("/app/arranger/terms?mechanism=" + mechanism);
                    }
                }
                default -> {
                }
            }
            paths.add("/app/bonds/no-such-bond");
            paths.add("/app/" + (user.equals("payer") ? "investor" : "payer"));
            for (String path : paths) {
                PageSession.Page page = session.get(path);
                for (String phrase : english(page.body(), data)) {
                    english.computeIfAbsent(phrase, k -> new TreeSet<>()).add(user + " " + path);
                }
            }
            session.get("/app/bonds?lang=en");
        }
        StringBuilder report = new StringBuilder();
        english.forEach((phrase, where) -> report.append("\n  \"").append(phrase).append("\" on ")
                .append(where.iterator().next()).append(where.size() > 1 ? " and " + (where.size() - 1) + " more" : ""));
        assertThat(english).as("English left on the Hebrew pages:" + report).isEmpty();
    }

    @Test
    void theWaterfallPreviewAStructuredBondAndARefusalSpeakHebrew() {
        String bondId = "hebrew-waterfall";
        node.api("arranger").post("/api/bonds", org.sibledger.api.support.Terms.rateCard(bondId)).expect(201);
        node.api("investor").post("/api/bonds/" + bondId + "/commitments", """
                {"tranche": "senior", "amount": "10000.00"}""").expect(201);
        node.api("arranger").post("/api/bonds/" + bondId + "/opening", "").expect(200);
        String callId = node.api("arranger").post("/api/bonds/" + bondId + "/capital-calls", """
                {"amount": "10000.00", "dueDate": "2019-02-01"}""").expect(201).get("callId").asText();
        node.api("investor").post("/api/bonds/" + bondId + "/capital-calls/" + callId + "/fundings", """
                {"amount": "10000.00"}""").expect(201);
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        arranger.get("/app/bonds/" + bondId + "?lang=he");

        // the waterfall's rule, recorded in English, said line by line in Hebrew with the amounts as the page writes them
        PageSession.Page preview = arranger.post("/app/arranger/bonds/" + bondId + "/distributions/preview",
                Map.of("amount", List.of("3000.00"), "date", List.of("2020-01-01")));
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.body()).contains("שכבה").contains("senior").contains("קרן").contains("יחסית לקרן שמומנה")
                .contains("שתקרת התשואה השנתית (IRR) של").contains("15%").contains("3,000.00")
                .doesNotContain("pro rata to funded principal").doesNotContain("OUTCOME_PAYERS");
        assertThat(english(preview.body(), new LinkedHashSet<>(List.of("Care leavers rate card " + bondId, bondId)))).isEmpty();

        // a refusal is said in Hebrew with the figures the bond gave, each isolated, the amounts as the page writes them
        PageSession.Page tooMuch = arranger.postAndFollow("/app/arranger/bonds/" + bondId + "/distributions/preview",
                Map.of("amount", List.of("20000.00"), "date", List.of("2020-01-01")));
        assertThat(tooMuch.body()).containsPattern("id=\"act-distribute-amount-error\"[^>]*>באגרה יש \u2068\u200f10,000.00\u00a0£"
                        + "\u2069, פחות מ-\u2068\u200f20,000.00\u00a0£\u2069.<")
                .doesNotContain("The bond holds");
        // a step the page no longer offers (the bond moved on since it was read) is refused above the forms
        PageSession.Page closing = arranger.postAndFollow("/app/arranger/bonds/" + bondId + "/closing", Map.of());
        String refusedStep = closing.body().substring(closing.body().indexOf("data-testid=\"refused-step\""));
        assertThat(refusedStep.substring(0, refusedStep.indexOf("</ul>"))).contains("האגרה פתוחה; הצעד הזה דורש אגרה במצב: הגיעה לפירעון.");
        assertThat(closing.body()).doesNotContain("id=\"act-close\"").doesNotContain("Cannot close");
        PageSession.Page cohort = arranger.postAndFollow("/app/arranger/bonds/" + bondId + "/cohorts",
                Map.of("cohortId", List.of("c1"), "name", List.of("Cohort 1"), "size", List.of("10000001")));
        assertThat(cohort.body()).containsPattern("id=\"act-cohort-size-error\"[^>]*>הערך בשדה \u2068/size\u2069 חייב להיות בין"
                + " \u20681\u2069 ל-\u206810000000\u2069, לא \u206810000001\u2069.<");
        arranger.get("/app/bonds?lang=en");

        // a claims file's bad rows are told in Hebrew, the row number and what was typed isolated
        PageSession evaluator = PageSession.signIn(node.node().baseUrl(), "evaluator");
        evaluator.get("/app/evaluator?lang=he");
        PageSession.Page rows = evaluator.postFile("/app/evaluator/bonds/" + bondId + "/claims",
                Map.of("evidenceRef", "batch 1"), "file", "claims.csv", "p-9,other,1 June,\n");
        assertThat(rows.status()).isEqualTo(302);
        String page = evaluator.get("/app/evaluator").body();
        assertThat(HtmlUtils.htmlUnescape(page)).contains("שורה \u20681\u2069: המשתתף \u2068p-9\u2069 אינו רשום באגרה זו;"
                + " האגרה אינה משלמת על המדד \u2068other\u2069; הערך achievedOn \u20681 June\u2069 אינו תאריך (YYYY-MM-DD);"
                + " חסר evidenceRef (הפניה לראיה)");
        evaluator.get("/app/evaluator?lang=en");
    }

    /**
     * The runs of English words a Hebrew page shows, once the bonds' data (taken out in the set's order: longest
     * first) and what it isolates as data are out.
     */
    static List<String> english(String html, Set<String> data) {
        String text = html.replaceAll("(?s)<(script|style|textarea|code|bdi|datalist)\\b.*?</\\1>", " ")
                .replaceAll("(?s)<(td|span|p) class=\"hash\"[^>]*>.*?</\\1>", " ");
        List<String> visible = new ArrayList<>();
        Matcher attribute = Pattern.compile("\\s(?:aria-label|title|placeholder|alt)=\"([^\"]*)\"").matcher(text);
        while (attribute.find()) {
            visible.add(attribute.group(1));
        }
        visible.add(text.replaceAll("(?s)<!--.*?-->", " ").replaceAll("(?s)<[^>]*>", " "));
        List<String> found = new ArrayList<>();
        for (String part : visible) {
            // what the pages isolate (U+2068 ... U+2069) is data or the bond's own words: ids, names, a refusal they
            // have no words for
            String words = HtmlUtils.htmlUnescape(part).replaceAll("\u2068[^\u2069]*\u2069", " ");
            for (String value : data) {
                words = words.replace(value, " ");
            }
            Matcher run = ENGLISH.matcher(words);
            while (run.find()) {
                found.add(run.group().strip());
            }
        }
        return found;
    }

    /** Every string of every demo bond's terms and of its measurements (names, ids, evidence), longest first. */
    private static Set<String> bondData() {
        Set<String> values = new TreeSet<>(Comparator.comparing(String::length).reversed().thenComparing(s -> s));
        for (JsonNode bond : node.api("admin").get("/api/bonds?size=200").expect(200).get("items")) {
            strings(bond, values);
            String id = bond.get("bondId").asText();
            strings(node.api("admin").get("/api/bonds/" + id + "/measurements?size=500").expect(200), values);
        }
        values.removeIf(v -> v.length() < 2);
        return values;
    }

    private static void strings(JsonNode node, Set<String> into) {
        if (node.isTextual()) {
            into.add(node.asText());
        }
        node.forEach(child -> strings(child, into));
    }
}
