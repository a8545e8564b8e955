package org.sibledger.api.web;

import com.lowagie.text.pdf.PdfReader;
import com.lowagie.text.pdf.parser.PdfTextExtractor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A report as CSV (its first table, quoted where needed) and as PDF (every table, Hebrew right to left too). */
class ReportTest {

    private static Report report(boolean rightToLeft, String title) {
        return new Report(title, List.of("as of 2 December 2026"), List.of(
                new Report.Table("Positions", List.of("bondId", "note"), List.of("Bond", "Note"),
                        List.of(List.of("tel-aviv", "Not yet: nothing, \"so far\""), List.of("reboot-west", ""))),
                        new Report.Table("Cash flows", List.of(), List.of("Date", "Amount"),
                                List.of(List.of("2021-01-11", "-640000.00")))), rightToLeft);
    }

    @Test
    void asCsvItIsItsFirstTableWithItsColumnNames() {
        assertThat(report(false, "Statement").csv()).isEqualTo("bondId,note\r\n"
                + "tel-aviv,\"Not yet: nothing, \"\"so far\"\"\"\r\n"
                + "reboot-west,\r\n");
    }

    @Test
    void inHebrewTheCsvHasItsWordsOverPlainFiguresAndThePdfItsHebrewText() throws Exception {
        // what the Hebrew pages isolate (U+2068 ... U+2069) is data already in a CSV cell, and has no glyph in the PDF
        Report hebrew = new Report("דוח משקיע: \u2068investor\u2069", List.of("נכון ל-\u20682 בדצמ׳ 2026\u2069"), List.of(
                new Report.Table("תיק ההשקעות שלך", List.of("מזהה האג\"ח", "התחייבות", "הערה"), List.of("אג\"ח", "התחייבות"),
                        List.of(List.of("tel-aviv", "1600000.00", "סה\"כ ב-\u2068ILS\u2069")))), true);
        assertThat(hebrew.csv()).isEqualTo("\ufeff\"מזהה האג\"\"ח\",התחייבות,הערה\r\n"
                + "tel-aviv,1600000.00,\"סה\"\"כ ב-ILS\"\r\n");
        byte[] pdf = new Report(hebrew.title(), hebrew.about(), List.of(new Report.Table("תיק ההשקעות שלך", List.of(),
                List.of("אג\"ח", "התחייבות"), List.of(List.of("tel-aviv", "\u2068\u200f1,600,000.00\u00a0₪\u2069")))), true).pdf();
        String text = new PdfTextExtractor(new PdfReader(pdf)).getTextFromPage(1);
        assertThat(text).doesNotContain("\u2068").doesNotContain("\u2069").contains("1,600,000.00").contains("tel-aviv")
                .contains("investor");
        assertThat(text.contains("התחייבות") || text.contains(new StringBuilder("התחייבות").reverse())).as(text).isTrue();
        assertThat(text.contains("דוח משקיע") || text.contains(new StringBuilder("דוח משקיע").reverse())).as(text).isTrue();
    }

    @Test
    void asPdfItHoldsEveryTableInEitherDirection() throws Exception {
        byte[] english = report(false, "Statement").pdf();
        assertThat(new String(english, 0, 5)).isEqualTo("%PDF-");
        String text = new PdfTextExtractor(new PdfReader(english)).getTextFromPage(1);
        assertThat(text).contains("Statement").contains("tel-aviv").contains("-640000.00");

        byte[] hebrew = report(true, "דוח משקיע").pdf();
        assertThat(new String(hebrew, 0, 5)).isEqualTo("%PDF-");
        assertThat(new PdfReader(hebrew).getNumberOfPages()).isEqualTo(1);
        // the Hebrew letters and the shekel sign are drawn with a font that has them, embedded from OpenPDF's jar,
        // on any machine (not a system font, nor Helvetica, which has no Hebrew)
        String pdf = new String(hebrew, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(pdf).contains("LiberationSans").contains("/FontFile2").doesNotContain("/Helvetica");
        byte[] shekels = new Report("דוח", List.of("₪2,300,000.00"), List.of(), true).pdf();
        assertThat(new PdfTextExtractor(new PdfReader(shekels)).getTextFromPage(1)).contains("2,300,000.00");
    }
}
