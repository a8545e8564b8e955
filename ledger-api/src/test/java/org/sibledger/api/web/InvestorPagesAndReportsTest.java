package org.sibledger.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Pages;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The investor's page over the demo bonds (a summary across bonds with an IRR for each, and per bond outcomes and
 * payouts month by month by when outcomes were achieved, the lines over the bars), the asOf view on the same days,
 * and the reports people take away (statement, claim pack, history) as CSV and PDF, each showing a party only what
 * is its own: another party gets 403 and a principal that is no party of the bond 404.
 */
class InvestorPagesAndReportsTest {

    private static final String TEL_AVIV = "/api/bonds/tel-aviv-loneliness";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final LedgerNodeExtension node = new LedgerNodeExtension("--demo");

    @BeforeAll
    static void theDemoIsInTheViews() {
        node.api("investor").await("/api/investors/investor/portfolio",
                r -> r.status() == 200 && r.json().get("positions").size() == 5);
        node.api("arranger").await("/api/bonds/families-employment/history?size=500",
                r -> r.status() == 200 && r.body().contains("employed-2023Q4"));
    }

    @Test
    void theInvestorsPageSummarisesEveryBondAndChartsOutcomesByWhenTheyWereAchieved() throws Exception {
        String page = Pages.get(node.node().baseUrl(), "investor", "/app/investor");
        assertThat(count(page, "data-testid=\"summary-line\"")).isEqualTo(5);
        assertThat(page).doesNotContain("data-testid=\"irr-note\"").contains("statement.csv").contains("statement.pdf");
        assertThat(count(page, "data-testid=\"summary-total\"")).as("GBP, ILS and USD").isEqualTo(3);

        JsonNode chart = chartOf(page, "tel-aviv-loneliness");
        List<String> labels = new ArrayList<>();
        chart.get("labels").forEach(l -> labels.add(l.asText()));
        // months with no gap, from the first outcome (March 2021) to the last payment
        assertThat(labels.get(0)).isEqualTo("2021-03");
        for (int i = 1; i < labels.size(); i++) {
            assertThat(YearMonth.parse(labels.get(i))).isEqualTo(YearMonth.parse(labels.get(i - 1)).plusMonths(1));
        }
        // the first tier was reached by the result for the quarter to 31 December 2021 (approved in February 2022)
        JsonNode bars = chart.get("datasets").get(0);
        JsonNode triggered = chart.get("datasets").get(1);
        assertThat(bars.get("type").asText()).isEqualTo("bar");
        assertThat(triggered.get("data").get(labels.indexOf("2021-12")).decimalValue()).isEqualByComparingTo("1150000");
        assertThat(triggered.get("data").get(labels.indexOf("2021-11")).decimalValue()).isEqualByComparingTo("0");
        // no line hides behind the bars: every line is drawn after them (a lower order)
        for (int i = 1; i < chart.get("datasets").size(); i++) {
            assertThat(chart.get("datasets").get(i).get("order").asInt()).isLessThan(bars.get("order").asInt());
        }

        String other = Pages.get(node.node().baseUrl(), "investor2", "/app/investor");
        assertThat(count(other, "data-testid=\"summary-line\"")).isEqualTo(4);
        assertThat(other).contains("700,000.00").doesNotContain("1,600,000.00");
        String hebrew = Pages.get(node.node().baseUrl(), "investor", "/app/investor?lang=he");
        assertThat(hebrew).contains("תיק ההשקעות שלך").contains("המרב שהתנאים מאפשרים");
    }

    @Test
    void performanceAsOfADayCountsTheOutcomesAchievedByThen() {
        JsonNode endOf2021 = node.api("investor").get(TEL_AVIV + "/performance?asOf=2021-12-31").expect(200);
        assertThat(endOf2021.at("/total/triggered/amount").asText()).isEqualTo("1150000.00");
        assertThat(endOf2021.at("/total/settled/amount").asText()).as("settled in March 2022").isEqualTo("0.00");
        JsonNode november = node.api("investor").get(TEL_AVIV + "/performance?asOf=2021-11-30").expect(200);
        assertThat(november.at("/total/triggered/amount").asText()).isEqualTo("0.00");
        assertThat(november.at("/total/approved").asText()).isEqualTo("3");
        JsonNode all = node.api("investor").get(TEL_AVIV + "/performance").expect(200);
        assertThat(all.at("/months/0/month").asText()).isEqualTo("2021-03");
    }

    @Test
    void anInvestorTakesAwayItsOwnStatementOnly() throws Exception {
        Api.Response csv = node.api("investor").get("/api/investors/investor/statement.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<CSVRecord> rows = csv(csv.body());
        assertThat(rows).hasSize(5 + 3);
        CSVRecord telAviv = rows.stream().filter(r -> r.get("bondId").equals("tel-aviv-loneliness")).findFirst().orElseThrow();
        assertThat(new BigDecimal(telAviv.get("funded"))).isEqualByComparingTo("1600000");
        assertThat(telAviv.get("currency")).isEqualTo("ILS");
        assertThat(new BigDecimal(telAviv.get("irr"))).isPositive();
        assertThat(telAviv.get("note")).isEmpty();

        Api.Response pdf = node.api("investor").get("/api/investors/investor/statement.pdf");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        assertThat(pdf.body()).startsWith("%PDF");

        assertThat(node.api("investor2").get("/api/investors/investor/statement.csv").status()).isEqualTo(403);
        assertThat(node.api("payer").get("/api/investors/investor/statement.pdf").status()).isEqualTo(403);
        assertThat(node.api("investor").get("/api/investors/investor/statement.xml").status()).isEqualTo(404);
        String mine = Pages.get(node.node().baseUrl(), "investor2", "/app/investor/statement.csv");
        assertThat(mine).contains("700000").doesNotContain("1600000");
    }

    @Test
    void aPayersClaimPackHoldsItsOwnLinesOfThePeriodWithEvidenceAndRule() throws IOException {
        String families = "/api/bonds/families-employment/claim-pack.csv";
        List<CSVRecord> quarter = csv(ok(node.api("payer").get(families + "?from=2023-10-01&to=2023-12-31")));
        // the last quarter raised only the fall in benefit dependency (employment was at 97% already)
        assertThat(quarter).hasSize(1);
        for (CSVRecord line : quarter) {
            assertThat(line.get("payerId")).isEqualTo("payer");
            assertThat(line.get("outcomeOn")).isEqualTo("2023-12-31");
            assertThat(line.get("evidence")).isIn("employment-survey-2023Q4", "benefit-records-2023Q4");
            assertThat(line.get("rule")).isNotBlank();
            assertThat(line.get("status")).isEqualTo("TRIGGERED");
        }
        List<CSVRecord> all = csv(ok(node.api("payer").get(families)));
        assertThat(all.size()).isGreaterThan(quarter.size());
        assertThat(all).allMatch(line -> line.get("payerId").equals("payer"));
        assertThat(csv(ok(node.api("payer2").get(families))))
                .isNotEmpty().allMatch(line -> line.get("payerId").equals("payer2"));
        // a rate card's line carries its claim's own evidence, then the measurement's
        List<CSVRecord> claims = csv(ok(node.api("payer").get("/api/bonds/reboot-west/claim-pack.csv?from=2019-01-01&to=2019-03-31")));
        assertThat(claims).isNotEmpty().allMatch(line -> line.get("evidence").startsWith("case-file-rw-")
                && line.get("evidence").endsWith(" quarterly-claims-2019Q1"));
        assertThat(ok(node.api("payer").get("/api/bonds/reboot-west/claim-pack.pdf"))).startsWith("%PDF");

        assertThat(node.api("investor").get(families).status()).isEqualTo(403);
        assertThat(node.api("evaluator").get(families).status()).isEqualTo(403);
        assertThat(node.api("payer2").get(TEL_AVIV + "/claim-pack.csv").status()).as("no party of it").isEqualTo(404);
    }

    @Test
    void aBondsHistoryIsTakenAwayAsEachPartyMaySeeIt() throws Exception {
        List<CSVRecord> arranger = csv(ok(node.api("arranger").get(TEL_AVIV + "/history.csv")));
        int events = node.api("arranger").get(TEL_AVIV + "/history?size=500").expect(200).get("items").size();
        assertThat(arranger).hasSize(events);
        assertThat(arranger.get(0).get("type")).isEqualTo("BondStructured");
        assertThat(arranger.stream().map(r -> r.get("payload"))).anyMatch(p -> p.contains("1600000"));
        List<CSVRecord> crowd = csv(ok(node.api("investor2").get(TEL_AVIV + "/history.csv")));
        assertThat(crowd).hasSize(events);
        assertThat(crowd.stream().map(r -> r.get("payload")))
                .noneMatch(p -> p.contains("1600000")).anyMatch(p -> p.contains("700000"));
        assertThat(ok(node.api("investor2").get(TEL_AVIV + "/history.pdf"))).startsWith("%PDF");
        assertThat(node.api("payer2").get(TEL_AVIV + "/history.csv").status()).isEqualTo(404);

        String bondPage = Pages.get(node.node().baseUrl(), "payer", "/app/bonds/tel-aviv-loneliness");
        assertThat(bondPage).contains("/app/bonds/tel-aviv-loneliness/history.csv")
                .contains("/app/bonds/tel-aviv-loneliness/claim-pack.pdf");
        assertThat(Pages.get(node.node().baseUrl(), "investor", "/app/bonds/tel-aviv-loneliness"))
                .contains("history.pdf").doesNotContain("claim-pack");
        assertThat(Pages.get(node.node().baseUrl(), "payer", "/app/bonds/tel-aviv-loneliness/claim-pack.csv"))
                .startsWith("payoutId,");
        // a claim pack for a period, from the bond's page: two dates, a CSV or a PDF; a date left empty sets no limit
        String families = Pages.get(node.node().baseUrl(), "payer", "/app/bonds/families-employment");
        String form = families.substring(families.indexOf("data-testid=\"claim-pack-period\""));
        form = form.substring(0, form.indexOf("</form>"));
        assertThat(families).containsPattern("action=\"/app/bonds/families-employment/claim-pack.csv\"[^>]*data-testid=\"claim-pack-period\"|"
                + "data-testid=\"claim-pack-period\"[^>]*action=\"/app/bonds/families-employment/claim-pack.csv\"");
        assertThat(form).contains("type=\"date\" id=\"claim-pack-from\" name=\"from\"")
                .contains("type=\"date\" id=\"claim-pack-to\" name=\"to\"")
                .contains("formaction=\"/app/bonds/families-employment/claim-pack.pdf\"");
        List<CSVRecord> quarter = csv(Pages.get(node.node().baseUrl(), "payer",
                "/app/bonds/families-employment/claim-pack.csv?from=2023-10-01&to=2023-12-31"));
        assertThat(quarter).hasSize(1);
        assertThat(csv(Pages.get(node.node().baseUrl(), "payer", "/app/bonds/families-employment/claim-pack.csv?from=&to=")))
                .hasSizeGreaterThan(1);
        assertThat(Pages.get(node.node().baseUrl(), "payer", "/app/bonds/families-employment/claim-pack.pdf?from=2023-10-01&to="))
                .startsWith("%PDF");
        assertThat(Pages.get(node.node().baseUrl(), "investor", "/app/bonds/families-employment"))
                .doesNotContain("claim-pack-period");
    }

    private static String ok(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    private static List<CSVRecord> csv(String body) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(body)).getRecords();
    }

    private static int count(String text, String needle) {
        return text.split(Pattern.quote(needle), -1).length - 1;
    }

    /** The chart data of a bond's card on the investor's page (the data-chart attribute, HTML-escaped). */
    private static JsonNode chartOf(String page, String bondId) throws IOException {
        int card = page.indexOf("<section class=\"card\" data-bond=\"" + bondId + "\"");
        assertThat(card).as("card of " + bondId).isPositive();
        Matcher chart = Pattern.compile("data-chart=\"([^\"]*)\"").matcher(page.substring(card));
        assertThat(chart.find()).isTrue();
        return JSON.readTree(chart.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                .replace("&gt;", ">").replace("&amp;", "&"));
    }
}
