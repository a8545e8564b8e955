package org.sibledger.api.web;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNodeExtension;
import org.springframework.web.util.HtmlUtils;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over HTTP, in Hebrew ({@code ?lang=he}): the bond's refusals said with the figures the bond gave (amounts as the
 * page writes money, ids, counts), each isolated (U+2068 ... U+2069) so the right-to-left text never reorders it; the
 * pages' own sentences with their figures and ids isolated the same way, by the message source rather than each
 * message; and the exports (investor statement, claim pack, bond history) in Hebrew: CSV with Hebrew column names and
 * words over the same plain figures, PDF whose extracted text holds the Hebrew words and the figures.
 */
class HebrewFiguresAndExportsTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final String BOND = "he-figures";
    private static final String LRM_FREE_POUNDS = "\u00a0£";
    private static String callId;

    @BeforeAll
    static void aBondWithACallAFundingAndAPayout() {
        Bonds.openWithCohort(node::api, BOND, 2);
        Bonds.enrol(node::api, BOND, List.of("p-1", "p-2"));
        String b = "/api/bonds/" + BOND;
        callId = node.api("arranger").post(b + "/capital-calls", """
                {"amount": "600.00", "dueDate": "2019-02-01"}""").expect(201).get("callId").asText();
        node.api("investor").post(b + "/capital-calls/" + callId + "/fundings", """
                {"amount": "250.00"}""").expect(201);
        String measurementId = node.api("evaluator").post(b + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-1", "claims": [{"participantRef": "p-1",
                 "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "evidence-1"}]}""").expect(202)
                .get("measurementId").asText();
        node.api("payer").post(b + "/measurements/" + measurementId + "/decision", """
                {"decision": "APPROVE", "reason": "checked"}""").expect(200);
        node.api("payer").await(b + "/payouts", r -> r.status() == 200 && r.body().contains("TRIGGERED"));
    }

    private static String money(String amount) {
        return "\u2068\u200f" + amount + LRM_FREE_POUNDS + "\u2069";
    }

    @Test
    void refusalsSayTheBondsFiguresInHebrewIsolated() {
        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        arranger.get("/app/bonds/" + BOND + "?lang=he");
        // a call beyond what is left uncalled: both amounts, as the page writes money
        PageSession.Page tooMuch = arranger.postAndFollow("/app/arranger/bonds/" + BOND + "/capital-calls/preview",
                Map.of("amount", List.of("5000.00"), "dueDate", List.of("2019-03-01")));
        assertThat(HtmlUtils.htmlUnescape(tooMuch.body())).containsPattern("id=\"act-call-amount-error\"[^>]*>הקריאה בסך "
                + money("5,000.00") + " גדולה מההתחייבויות שטרם נקראו, " + money("400.00") + ".<");
        arranger.get("/app/bonds?lang=en");

        // a cohort without room: its id and the room left
        PageSession provider = PageSession.signIn(node.node().baseUrl(), "provider");
        provider.get("/app/bonds/" + BOND + "?lang=he");
        PageSession.Page full = provider.postAndFollow("/app/provider/bonds/" + BOND + "/participants",
                Map.of("cohortId", List.of("c1"), "participants", List.of("p-3")));
        assertThat(HtmlUtils.htmlUnescape(full.body())).contains("במחזור \u2068c1\u2069 נותר מקום ל-\u20680\u2069 משתתפים נוספים בלבד.")
                .doesNotContain("has room for");
        provider.get("/app/bonds?lang=en");
    }

    @Test
    void thePagesSentencesIsolateTheirFiguresAndIds() {
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        String page = HtmlUtils.htmlUnescape(investor.get("/app/investor?lang=he").body());
        // a capital call's id and what is left to pay, inside a Hebrew sentence written by the message source
        assertThat(page).contains("מימון קריאה \u2068" + callId + "\u2069: נותרו " + money("350.00") + " לתשלום");
        // the funding's confirmation: amount, call id and due date each isolated, the tranche too
        PageSession.Page preview = investor.post("/app/investor/bonds/" + BOND + "/capital-calls/" + callId
                + "/fundings/preview", Map.of("amount", List.of("100.00")));
        String confirmation = HtmlUtils.htmlUnescape(preview.body());
        assertThat(confirmation).contains("אתם משלמים " + money("100.00") + " לקריאת ההון \u2068" + callId + "\u2069, עד \u2068")
                .contains("נותר לתשלום בקריאה זו לאחר מכן: " + money("250.00"));
        investor.get("/app/investor?lang=en");
        // English pages are left as they were: no isolates
        assertThat(investor.get("/app/investor").body()).doesNotContain("\u2068");
    }

    @Test
    void theExportsSpeakHebrewOverTheSameFigures() throws IOException {
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        String statement = new String(investor.download("/app/investor/statement.csv?lang=he"), StandardCharsets.UTF_8);
        assertThat(statement).startsWith("\ufeff").doesNotContain("\u2068").doesNotContain("\u2069");
        List<CSVRecord> rows = csv(statement.substring(1));
        assertThat(rows.get(0).values()).containsExactly("מזהה האג\"ח", "אג\"ח", "שכבה", "מטבע", "התחייבות", "נדרש",
                "הועבר", "התקבל", "מכפיל הון", "תשואה פנימית (שיעור שנתי)", "הערה");
        CSVRecord mine = rows.stream().filter(r -> r.get(0).equals(BOND)).findFirst().orElseThrow();
        // the figures as in English: plain decimals, the currency's code
        String english = new String(investor.download("/app/investor/statement.csv?lang=en"), StandardCharsets.UTF_8);
        assertThat(english).startsWith("bondId,bondName,tranche,currency,committed");
        CSVRecord same = csv(english).stream().filter(r -> r.get(0).equals(BOND)).findFirst().orElseThrow();
        assertThat(mine.get(3)).isEqualTo("GBP");
        for (int column : new int[]{4, 5, 6, 7}) {
            assertThat(mine.get(column)).as("column " + column).matches("-?[0-9]+(\\.[0-9]+)?").isEqualTo(same.get(column));
        }
        assertThat(new BigDecimal(mine.get(4))).isEqualByComparingTo("1000");
        assertThat(new BigDecimal(mine.get(5))).isEqualByComparingTo("600");
        assertThat(new BigDecimal(mine.get(6))).isEqualByComparingTo("250");
        assertThat(mine.get(10)).containsPattern("[\u05d0-\u05ea]");

        String pdf = pdfText(investor.download("/app/investor/statement.pdf?lang=he"));
        assertThat(hebrew(pdf, "דוח משקיע")).as(pdf).isTrue();
        assertThat(hebrew(pdf, "התחייבות")).isTrue();
        assertThat(pdf).contains("1,000.00").contains("250.00").doesNotContain("Investor statement").doesNotContain("Committed");

        PageSession payer = PageSession.signIn(node.node().baseUrl(), "payer");
        String pack = new String(payer.download("/app/bonds/" + BOND + "/claim-pack.csv?lang=he"), StandardCharsets.UTF_8);
        List<CSVRecord> lines = csv(pack.substring(1));
        assertThat(lines.get(0).values()).contains("מזהה התשלום", "משתתף", "תאריך השגת התוצאה", "לתשלום אחרי תקרות", "מצב");
        CSVRecord line = lines.get(1);
        assertThat(line.get(5)).isEqualTo("p-1");
        assertThat(line.get(6)).isEqualTo("2019-06-01");
        assertThat(new BigDecimal(line.get(11))).isEqualByComparingTo("2750");
        assertThat(line.get(12)).isEqualTo("GBP");
        assertThat(line.get(13)).isEqualTo("נוצר");
        String packPdf = pdfText(payer.download("/app/bonds/" + BOND + "/claim-pack.pdf?lang=he"));
        assertThat(hebrew(packPdf, "חבילת תביעות")).as(packPdf).isTrue();
        assertThat(packPdf).contains("2,750.00").contains("p-1").doesNotContain("TRIGGERED");
        payer.get("/app/payer?lang=en");

        PageSession arranger = PageSession.signIn(node.node().baseUrl(), "arranger");
        String history = new String(arranger.download("/app/bonds/" + BOND + "/history.csv?lang=he"), StandardCharsets.UTF_8);
        List<CSVRecord> events = csv(history.substring(1));
        assertThat(events.get(0).values()).startsWith("מספר סידורי", "מועד", "אירוע", "על ידי");
        assertThat(events.get(1).get(0)).isEqualTo("0");
        assertThat(events.get(1).get(2)).isEqualTo("האגרה נוצרה");
        assertThat(events.stream().map(r -> r.get(2)).toList()).contains("קריאה להון", "קריאה להון מומנה", "תשלום נוצר")
                .doesNotContain("CapitalCalled");
        String historyPdf = pdfText(arranger.download("/app/bonds/" + BOND + "/history.pdf?lang=he"));
        assertThat(hebrew(historyPdf, "היסטוריית")).as(historyPdf).isTrue();
        assertThat(hebrew(historyPdf, "קריאה להון")).isTrue();
        assertThat(historyPdf).doesNotContain("CapitalCalled");
        arranger.get("/app/bonds?lang=en");
    }

    /** Hebrew in text extracted from a PDF: in logical order, or in the visual order a right-to-left line is drawn. */
    private static boolean hebrew(String text, String words) {
        return text.contains(words) || text.contains(new StringBuilder(words).reverse());
    }

    private static String pdfText(byte[] pdf) throws IOException {
        assertThat(new String(pdf, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        PdfReader reader = new PdfReader(pdf);
        StringBuilder text = new StringBuilder();
        for (int page = 1; page <= reader.getNumberOfPages(); page++) {
            text.append(new PdfTextExtractor(reader).getTextFromPage(page)).append('\n');
        }
        return text.toString();
    }

    private static List<CSVRecord> csv(String text) throws IOException {
        try (CSVParser parser = CSVParser.parse(new StringReader(text), CSVFormat.DEFAULT)) {
            return parser.getRecords();
        }
    }
}
