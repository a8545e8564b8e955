package org.sibledger.api.web;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A report people take away (an investor's statement, a payer's claim pack, a bond's history): a title, a few lines
 * saying what it covers, and tables. As CSV it is its first table under its column names, with plain figures (ISO
 * dates, decimals with a point, ids as recorded) for spreadsheets; as PDF every table, under the reader's own headings
 * and in its reading direction. A right-to-left (Hebrew) report's CSV begins with a byte order mark, so that a
 * spreadsheet reads its Hebrew as UTF-8.
 * <p>
 * Neither holds the Unicode isolates (U+2068, U+2069) the Hebrew pages wrap data in: a CSV's cells are data already,
 * and the PDF's font has no glyphs for them; the PDF runs each cell in the reader's direction instead.
 */
public record Report(String title, List<String> about, List<Table> tables, boolean rightToLeft) {

    /** {@code columns} name the CSV's columns; {@code headings} are the PDF's, in the reader's language. */
    public record Table(String heading, List<String> columns, List<String> headings, List<List<String>> rows) {
    }

    public String csv() {
        Table table = tables.get(0);
        StringWriter out = new StringWriter();
        if (rightToLeft) {
            out.write('\ufeff');
        }
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader(table.columns().stream().map(this::plain).toArray(String[]::new)).get())) {
            for (List<String> row : table.rows()) {
                printer.printRecord(row.stream().map(this::plain).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public byte[] pdf() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4.rotate(), 28, 28, 28, 28);
        try {
            PdfWriter.getInstance(document, out);
            document.addTitle(plain(title));
            document.open();
            BaseFont base = font();
            Font titleFont = new Font(base, 15, Font.BOLD);
            Font headingFont = new Font(base, 11, Font.BOLD);
            Font text = new Font(base, 8);
            Font header = new Font(base, 8, Font.BOLD);
            document.add(block(title, titleFont));
            for (String line : about) {
                document.add(block(line, text));
            }
            for (Table table : tables) {
                Paragraph heading = new Paragraph(" ", text);
                document.add(heading);
                document.add(block(table.heading(), headingFont));
                PdfPTable grid = new PdfPTable(Math.max(1, table.headings().size()));
                grid.setWidthPercentage(100);
                grid.setHeaderRows(1);
                grid.setSpacingBefore(4);
                grid.setRunDirection(rightToLeft ? PdfWriter.RUN_DIRECTION_RTL : PdfWriter.RUN_DIRECTION_LTR);
                for (String h : table.headings()) {
                    PdfPCell cell = new PdfPCell(new Phrase(plain(h), header));
                    cell.setGrayFill(0.92f);
                    grid.addCell(cell);
                }
                for (List<String> row : table.rows()) {
                    for (String value : row) {
                        grid.addCell(new PdfPCell(new Phrase(plain(value), text)));
                    }
                }
                document.add(grid);
            }
        } catch (DocumentException e) {
            throw new IllegalStateException("the PDF could not be written", e);
        } finally {
            document.close();
        }
        return out.toByteArray();
    }

    /** A paragraph in one cell, so that right-to-left text runs in its direction. */
    private Element block(String line, Font font) {
        PdfPTable one = new PdfPTable(1);
        one.setWidthPercentage(100);
        one.setRunDirection(rightToLeft ? PdfWriter.RUN_DIRECTION_RTL : PdfWriter.RUN_DIRECTION_LTR);
        PdfPCell cell = new PdfPCell(new Phrase(plain(line), font));
        cell.setBorder(PdfPCell.NO_BORDER);
        one.addCell(cell);
        return one;
    }

    /** The text, in a right-to-left report without the isolates the pages wrap data in. */
    String plain(String text) {
        if (text == null) {
            return "";
        }
        return rightToLeft ? text.replace("\u2068", "").replace("\u2069", "") : text;
    }

    /**
     * Liberation Sans, which OpenPDF ships in its own jar ({@value #FONT}): it has Latin and Hebrew letters and the
     * currency signs (£, $, ₪, ¥), and embedded it makes the PDF read the same on every machine, whatever fonts the
     * system has (a system without DejaVu or Liberation used to get Helvetica, which has no Hebrew letters).
     */
    private static BaseFont font() {
        try {
            return BaseFont.createFont("LiberationSans-Regular.ttf", BaseFont.IDENTITY_H, BaseFont.EMBEDDED, true,
                    FONT_BYTES, null);
        } catch (DocumentException | IOException e) {
            throw new IllegalStateException("OpenPDF's " + FONT + " could not be read", e);
        }
    }

    static final String FONT = "font-fallback/LiberationSans-Regular.ttf";
    private static final byte[] FONT_BYTES = fontBytes();

    private static byte[] fontBytes() {
        try (InputStream in = BaseFont.class.getClassLoader().getResourceAsStream(FONT)) {
            if (in == null) {
                throw new IllegalStateException("OpenPDF's " + FONT + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
