package org.sibledger.api.web;

import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.rest.RequestBounds;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.cohort.ListParticipantsQuery;
import org.sibledger.contracts.cohort.ParticipantList;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.measurement.Measurement;
import org.springframework.stereotype.Component;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outcome claims from a CSV file, one per row: participantRef, metric, achievedOn (ISO date), evidenceRef; a header
 * row is allowed. Every row is checked against the bond (enrolled participant, priced metric, one-off metric claimed
 * once in the file) before anything is sent, so every bad row is reported and a file with any is not recorded.
 * Each line is one record, read by Commons CSV (quotes, commas and doubled quotes inside quoted fields), so that
 * every message names the line of the file a person sees in their editor, blank lines included.
 */
@Component
public class ClaimsCsv {

    private static final Pattern CLAIM_POINTER = Pattern.compile("^/measurement/claims/(\\d+)");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setTrim(true).get();

    /** The claims (only when no row is wrong), the line of the file each came from, and every bad row's message. */
    public record Result(List<Measurement.OutcomeClaim> claims, List<Integer> lines, List<String> errors) {
    }

    private final QueryGateway queries;

    public ClaimsCsv(QueryGateway queries) {
        this.queries = queries;
    }

    /**
     * The words of the rows' messages: {@code csv.*} messages by code with their arguments. {@link #ENGLISH} reads them
     * from messages.properties; the evaluator's page passes the reader's language.
     */
    @FunctionalInterface
    public interface Words {
        String of(String code, Object... args);
    }

    /** The messages in English, as messages.properties writes them (and as the API's callers read them). */
    static final Words ENGLISH = new Words() {
        private final org.springframework.context.support.ResourceBundleMessageSource english = english();

        @Override
        public String of(String code, Object... args) {
            return english.getMessage(code, args, java.util.Locale.ENGLISH);
        }
    };

    private static org.springframework.context.support.ResourceBundleMessageSource english() {
        org.springframework.context.support.ResourceBundleMessageSource source =
                new org.springframework.context.support.ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return source;
    }

    public Result read(BondView bond, String csv, Words words) {
        return read(bond, queries.query(new ListParticipantsQuery(bond.bondId()), ParticipantList.class).join()
                .cohortByParticipant().keySet(), csv, words);
    }

    static Result read(BondView bond, Set<String> enrolled, String csv) {
        return read(bond, enrolled, csv, ENGLISH);
    }

    /** The file checked against the bond's terms and the participants enrolled in it. */
    static Result read(BondView bond, Set<String> enrolled, String csv, Words words) {
        Set<String> metrics = new HashSet<>();
        Set<String> repeatable = new HashSet<>();
        bond.terms().metrics().forEach(m -> {
            metrics.add(m.id());
            if (m.repeatable()) {
                repeatable.add(m.id());
            }
        });
        metrics.retainAll(bond.terms().paymentMechanism().metricIds());
        List<Measurement.OutcomeClaim> claims = new ArrayList<>();
        List<Integer> claimLines = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = csv.replace("\uFEFF", "").replace("\r", "").split("\n");
        int first = lines.length > 0 && lines[0].replace("\"", "").strip().toLowerCase().startsWith("participantref") ? 2 : 1;
        for (int i = first - 1; i < lines.length; i++) {
            String line = lines[i].strip();
            int row = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            List<String> cells;
            try (CSVParser parser = CSVParser.parse(line, FORMAT)) {
                cells = parser.getRecords().get(0).toList();
            } catch (IOException | UncheckedIOException e) {
                errors.add(words.of("csv.row", String.valueOf(row), words.of("csv.notARecord", e.getMessage())));
                continue;
            }
            if (cells.size() != 4) {
                errors.add(words.of("csv.row", String.valueOf(row), words.of("csv.columns", String.valueOf(cells.size()))));
                continue;
            }
            String participant = cells.get(0);
            String metric = cells.get(1);
            String evidence = cells.get(3);
            List<String> wrong = new ArrayList<>();
            if (!enrolled.contains(participant)) {
                wrong.add(words.of("csv.notEnrolled", participant));
            }
            if (!metrics.contains(metric)) {
                wrong.add(words.of("csv.notPaid", metric));
            }
            LocalDate achieved = null;
            try {
                achieved = LocalDate.parse(cells.get(2));
                // bounded here, at the edge, as REST's dates are (openapi.yaml's LedgerDate), before the bond is asked
                String bounds = RequestBounds.outOfBounds("LedgerDate", cells.get(2));
                if (bounds != null) {
                    wrong.add(words.of("csv.outOfBounds", cells.get(2), bounds));
                }
            } catch (DateTimeParseException e) {
                wrong.add(words.of("csv.notADate", cells.get(2)));
            }
            if (evidence.isEmpty()) {
                wrong.add(words.of("csv.evidenceRequired"));
            }
            if (!repeatable.contains(metric) && !seen.add(participant + "\u0000" + metric)) {
                wrong.add(words.of("csv.twice", participant, metric));
            }
            if (wrong.isEmpty()) {
                claims.add(new Measurement.OutcomeClaim(participant, metric, achieved, evidence));
                claimLines.add(row);
            } else {
                errors.add(words.of("csv.row", String.valueOf(row), String.join("; ", wrong)));
            }
        }
        if (claims.isEmpty() && errors.isEmpty()) {
            errors.add(words.of("csv.row", "1", words.of("csv.empty")));
        }
        return errors.isEmpty() ? new Result(claims, claimLines, errors) : new Result(List.of(), List.of(), errors);
    }

    /** A refusal by the bond, each violation named by the line of the file its claim came from. */
    static List<String> rowsOf(CommandRefusedException refused, List<Integer> claimLines) {
        return rowsOf(refused, claimLines, ENGLISH, CommandRefusedException::getMessage, (r, v) -> v.message());
    }

    /**
     * The same, in the reader's words: {@code refusal} says the whole refusal, {@code violation} what it says of one
     * of its fields.
     */
    static List<String> rowsOf(CommandRefusedException refused, List<Integer> claimLines, Words words,
                               java.util.function.Function<CommandRefusedException, String> refusal,
                               java.util.function.BiFunction<CommandRefusedException,
                                       CommandRefusedException.FieldViolation, String> violation) {
        List<String> rows = new ArrayList<>();
        for (CommandRefusedException.FieldViolation v : refused.violations()) {
            Matcher claim = CLAIM_POINTER.matcher(v.pointer());
            int index = claim.find() ? Integer.parseInt(claim.group(1)) : -1;
            String message = violation.apply(refused, v);
            rows.add(index >= 0 && index < claimLines.size()
                    ? words.of("csv.row", String.valueOf(claimLines.get(index)), message)
                    : v.pointer() + ": " + message);
        }
        if (rows.isEmpty()) {
            rows.add(refusal.apply(refused));
        }
        return rows;
    }
}
