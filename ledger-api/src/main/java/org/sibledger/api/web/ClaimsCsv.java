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

    public Result read(BondView bond, String csv) {
        return read(bond, queries.query(new ListParticipantsQuery(bond.bondId()), ParticipantList.class).join()
                .cohortByParticipant().keySet(), csv);
    }

    /** The file checked against the bond's terms and the participants enrolled in it. */
    static Result read(BondView bond, Set<String> enrolled, String csv) {
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
                errors.add(row + ": not a CSV record (" + e.getMessage() + ")");
                continue;
            }
            if (cells.size() != 4) {
                errors.add(row + ": expected 4 columns (participantRef,metric,achievedOn,evidenceRef), found " + cells.size());
                continue;
            }
            String participant = cells.get(0);
            String metric = cells.get(1);
            String evidence = cells.get(3);
            List<String> wrong = new ArrayList<>();
            if (!enrolled.contains(participant)) {
                wrong.add("participant '" + participant + "' is not enrolled in this bond");
            }
            if (!metrics.contains(metric)) {
                wrong.add("metric '" + metric + "' is not paid for by this bond");
            }
            LocalDate achieved = null;
            try {
                achieved = LocalDate.parse(cells.get(2));
                // bounded here, at the edge, as REST's dates are (openapi.yaml's LedgerDate), before the bond is asked
                String bounds = RequestBounds.outOfBounds("LedgerDate", cells.get(2));
                if (bounds != null) {
                    wrong.add("achievedOn '" + cells.get(2) + "' is out of bounds: " + bounds);
                }
            } catch (DateTimeParseException e) {
                wrong.add("achievedOn '" + cells.get(2) + "' is not a date (YYYY-MM-DD)");
            }
            if (evidence.isEmpty()) {
                wrong.add("evidenceRef is required");
            }
            if (!repeatable.contains(metric) && !seen.add(participant + "\u0000" + metric)) {
                wrong.add("participant '" + participant + "' is claimed twice for one-off metric '" + metric + "'");
            }
            if (wrong.isEmpty()) {
                claims.add(new Measurement.OutcomeClaim(participant, metric, achieved, evidence));
                claimLines.add(row);
            } else {
                errors.add(row + ": " + String.join("; ", wrong));
            }
        }
        if (claims.isEmpty() && errors.isEmpty()) {
            errors.add("1: the file holds no claims");
        }
        return errors.isEmpty() ? new Result(claims, claimLines, errors) : new Result(List.of(), List.of(), errors);
    }

    /** A refusal by the bond, each violation named by the line of the file its claim came from. */
    static List<String> rowsOf(CommandRefusedException refused, List<Integer> claimLines) {
        List<String> rows = new ArrayList<>();
        for (CommandRefusedException.FieldViolation violation : refused.violations()) {
            Matcher claim = CLAIM_POINTER.matcher(violation.pointer());
            int index = claim.find() ? Integer.parseInt(claim.group(1)) : -1;
            rows.add(index >= 0 && index < claimLines.size() ? claimLines.get(index) + ": " + violation.message()
                    : violation.pointer() + ": " + violation.message());
        }
        if (rows.isEmpty()) {
            rows.add(refused.getMessage());
        }
        return rows;
    }
}
