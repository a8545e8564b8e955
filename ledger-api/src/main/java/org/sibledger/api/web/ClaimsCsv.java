package org.sibledger.api.web;

import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.cohort.ListParticipantsQuery;
import org.sibledger.contracts.cohort.ParticipantList;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.measurement.Measurement;
import org.springframework.stereotype.Component;

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
 * The format is four plain columns, so it is read here rather than with a CSV library: quoted fields are unwrapped,
 * and commas inside them are not supported.
 */
@Component
public class ClaimsCsv {

    private static final Pattern CLAIM_POINTER = Pattern.compile("^/measurement/claims/(\\d+)");

    public record Result(List<Measurement.OutcomeClaim> claims, List<String> errors, int firstDataLine) {
    }

    private final QueryGateway queries;

    public ClaimsCsv(QueryGateway queries) {
        this.queries = queries;
    }

    public Result read(BondView bond, String csv) {
        Set<String> enrolled = queries.query(new ListParticipantsQuery(bond.bondId()), ParticipantList.class).join()
                .cohortByParticipant().keySet();
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
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = csv.replace("\r", "").split("\n");
        int first = lines.length > 0 && lines[0].toLowerCase().startsWith("participantref") ? 2 : 1;
        for (int i = first - 1; i < lines.length; i++) {
            String line = lines[i].strip();
            int row = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != 4) {
                errors.add(row + ": expected 4 columns (participantRef,metric,achievedOn,evidenceRef), found " + cells.length);
                continue;
            }
            String participant = cell(cells[0]);
            String metric = cell(cells[1]);
            String evidence = cell(cells[3]);
            List<String> wrong = new ArrayList<>();
            if (!enrolled.contains(participant)) {
                wrong.add("participant '" + participant + "' is not enrolled in this bond");
            }
            if (!metrics.contains(metric)) {
                wrong.add("metric '" + metric + "' is not paid for by this bond");
            }
            LocalDate achieved = null;
            try {
                achieved = LocalDate.parse(cell(cells[2]));
            } catch (DateTimeParseException e) {
                wrong.add("achievedOn '" + cell(cells[2]) + "' is not a date (YYYY-MM-DD)");
            }
            if (evidence.isEmpty()) {
                wrong.add("evidenceRef is required");
            }
            if (!repeatable.contains(metric) && !seen.add(participant + "\u0000" + metric)) {
                wrong.add("participant '" + participant + "' is claimed twice for one-off metric '" + metric + "'");
            }
            if (wrong.isEmpty()) {
                claims.add(new Measurement.OutcomeClaim(participant, metric, achieved, evidence));
            } else {
                errors.add(row + ": " + String.join("; ", wrong));
            }
        }
        if (claims.isEmpty() && errors.isEmpty()) {
            errors.add("1: the file holds no claims");
        }
        return new Result(errors.isEmpty() ? claims : List.of(), errors, first);
    }

    /** A refusal by the bond, named by the row of the claim it points at. */
    static List<String> rowsOf(CommandRefusedException refused, int firstDataLine) {
        List<String> rows = new ArrayList<>();
        for (CommandRefusedException.FieldViolation violation : refused.violations()) {
            Matcher claim = CLAIM_POINTER.matcher(violation.pointer());
            rows.add(claim.find() ? (Integer.parseInt(claim.group(1)) + firstDataLine) + ": " + violation.message()
                    : violation.pointer() + ": " + violation.message());
        }
        if (rows.isEmpty()) {
            rows.add(refused.getMessage());
        }
        return rows;
    }

    private static String cell(String raw) {
        String value = raw.strip();
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1).strip() : value;
    }
}
