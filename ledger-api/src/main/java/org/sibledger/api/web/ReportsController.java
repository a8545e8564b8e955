package org.sibledger.api.web;

import org.sibledger.api.rest.Paging;
import org.sibledger.api.security.Principals;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.history.HistoryEntry;
import org.sibledger.contracts.history.HistoryPage;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementPage;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.payout.PayoutPage;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.contracts.performance.PerformanceView;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reports people take away, as CSV or PDF: an investor's statement, a payer's claim pack for a period (each payout
 * line with the outcome behind it, its evidence and its rule) and a bond's history. Each is built only from what
 * {@link Visibility} shows the principal, exactly as the API and the pages do: an investor's own portfolio, a payer's
 * own payout lines, a history with what is not the reader's own taken out; a bond the principal is no party of is not
 * found. Served under /api for API clients and under /app for the page session.
 */
@RestController
public class ReportsController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    private static final int PAGE = 500;

    private final Visibility visibility;
    private final BondPages bonds;
    private final Formats formats;
    private final MessageSource messages;

    public ReportsController(Visibility visibility, BondPages bonds, Formats formats, MessageSource messages) {
        this.visibility = visibility;
        this.bonds = bonds;
        this.formats = formats;
        this.messages = messages;
    }

    // ------------------------------------------------------------------------------------ investor's statement

    @GetMapping("/app/investor/statement.{format}")
    public ResponseEntity<?> myStatement(@PathVariable String format, Authentication principal) {
        return statement(principal.getName(), format, principal);
    }

    @GetMapping("/api/investors/{investorId}/statement.{format}")
    public ResponseEntity<?> statement(@PathVariable String investorId, @PathVariable String format,
                                       Authentication principal) {
        requireFormat(format);
        PortfolioRecord portfolio = visibility.portfolio(investorId, principal);
        Map<String, BondView> theirs = new LinkedHashMap<>();
        Map<String, PerformanceView> performance = new LinkedHashMap<>();
        for (BondView bond : bonds.bondsOf(principal)) {
            Visibility.Viewer viewer = Visibility.viewer(bond, principal);
            if (bond.terms().parties().investors().contains(investorId) && (viewer.is(Visibility.PartyKind.INVESTOR)
                    || viewer.is(Visibility.PartyKind.ADMIN))) {
                theirs.put(bond.bondId(), bond);
                performance.put(bond.bondId(), visibility.performance(viewer, null));
            }
        }
        InvestorStatement statement = InvestorStatement.of(investorId, portfolio, theirs, performance);
        List<List<String>> positions = new ArrayList<>();
        List<List<String>> shown = new ArrayList<>();
        for (InvestorStatement.Line l : statement.lines()) {
            positions.add(List.of(l.bondId(), l.bondName(), l.tranche(), l.committed().currency(), plain(l.committed()),
                    plain(l.called()), plain(l.funded()), plain(l.distributed()), plain(l.multiple()), plain(l.irr()),
                    l.irrNote() == null ? "" : text(l.irrNote())));
            shown.add(List.of(l.bondName(), l.tranche(), formats.money(l.committed()), formats.money(l.called()),
                    formats.money(l.funded()), formats.money(l.distributed()), multiple(l.multiple()),
                    l.irr() != null ? percent(l.irr()) : text(l.irrNote())));
        }
        for (InvestorStatement.Total t : statement.totals()) {
            positions.add(List.of("", text("investor.total", t.currency()), "", t.currency(), plain(t.committed()),
                    plain(t.called()), plain(t.funded()), plain(t.distributed()), plain(t.multiple()), plain(t.irr()),
                    t.irrNote() == null ? "" : text(t.irrNote())));
            shown.add(List.of(text("investor.total", t.currency()), "", formats.money(t.committed()),
                    formats.money(t.called()), formats.money(t.funded()), formats.money(t.distributed()),
                    multiple(t.multiple()), t.irr() != null ? percent(t.irr()) : text(t.irrNote())));
        }
        List<List<String>> payments = statement.payments().stream().map(p -> List.of(p.bondName(),
                p.maximum() == null ? text("investor.payments.noMaximum") : formats.money(p.maximum()),
                formats.money(p.triggered()), formats.money(p.settled()), formats.money(p.due()))).toList();
        List<List<String>> flows = new ArrayList<>();
        statement.lines().forEach(l -> l.cashFlows().forEach(f -> flows.add(List.of(f.date().toString(), l.bondName(),
                l.tranche(), formats.money(f.amount(), l.committed().currency())))));
        flows.sort(Comparator.comparing(row -> row.get(0)));
        Report report = new Report(text("report.statement.title", investorId),
                List.of(text("report.asOf", formats.date(LocalDate.now(ZoneOffset.UTC))), text("investor.irr.help")),
                List.of(new Report.Table(text("investor.summary"), columns("bondId", "bondName", "tranche", "currency",
                                "committed", "called", "funded", "received", "multiple", "irr", "note"),
                                List.of(text("investor.bond"), text("investor.tranche"), text("investor.committed"),
                                        text("investor.called"), text("investor.funded"), text("investor.received"),
                                        text("investor.multiple"), text("investor.irr")), pick(positions, shown, format)),
                        new Report.Table(text("investor.payments"), List.of(), List.of(text("investor.bond"),
                                text("investor.payments.maximum"), text("figures.triggered"), text("figures.settled"),
                                text("investor.payments.due")), payments),
                        new Report.Table(text("report.cashFlows"), List.of(), List.of(text("report.date"),
                                text("investor.bond"), text("investor.tranche"), text("report.cashFlow")), flows)),
                rightToLeft());
        return answer(report, format, "statement-" + investorId);
    }

    // --------------------------------------------------------------------------------------- payer's claim pack

    @GetMapping({"/api/bonds/{bondId}/claim-pack.{format}", "/app/bonds/{bondId}/claim-pack.{format}"})
    public ResponseEntity<?> claimPack(@PathVariable String bondId, @PathVariable String format,
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                                       Authentication principal) {
        requireFormat(format);
        Paging.checkPeriod("from", from, "to", to);
        Visibility.Viewer viewer = visibility.viewer(bondId, principal);
        if (!viewer.is(Visibility.PartyKind.OUTCOME_PAYER) && !viewer.is(Visibility.PartyKind.ARRANGER)
                && !Principals.isAdmin(principal)) {
            throw new CommandRefusedException(CommandRefusedException.Kind.FORBIDDEN, "not-a-payer",
                    "A claim pack is an outcome payer's (or the arranger's): this party pays no outcomes of the bond");
        }
        Map<String, MeasurementView> measurements = new LinkedHashMap<>();
        for (int page = 0; ; page++) {
            MeasurementPage one = visibility.measurements(viewer, null, page, PAGE);
            one.items().forEach(m -> measurements.put(m.measurementId(), m));
            if (one.items().size() < PAGE) {
                break;
            }
        }
        List<PayoutView> payouts = new ArrayList<>();
        for (int page = 0; ; page++) {
            PayoutPage one = visibility.payouts(viewer, page, PAGE);
            payouts.addAll(one.items());
            if (one.items().size() < PAGE) {
                break;
            }
        }
        String currency = viewer.bond().currency();
        List<List<String>> csv = new ArrayList<>();
        List<List<String>> shown = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (PayoutView p : payouts) {
            MeasurementView m = measurements.get(p.measurementId());
            LocalDate outcomeOn = outcomeOn(m, p);
            if (outcomeOn != null && (from != null && outcomeOn.isBefore(from) || to != null && outcomeOn.isAfter(to))) {
                continue;
            }
            String evidence = String.join(" ", evidence(m, p));
            csv.add(List.of(p.payoutId(), nz(p.measurementId()), nz(p.payerId()), nz(p.metric()), nz(p.cohortId()),
                    nz(p.participantRef()), outcomeOn == null ? "" : outcomeOn.toString(), evidence, nz(p.rule()),
                    plain(p.gross()), plain(p.capped()), plain(p.amount()), currency, word("status.", p.status()),
                    p.settledAt() == null ? "" : p.settledAt().toString()));
            shown.add(List.of(nz(p.measurementId()), nz(p.metric()), nz(p.participantRef()),
                    outcomeOn == null ? "" : formats.date(outcomeOn), evidence, nz(p.rule()), formats.money(p.amount()),
                    word("status.", p.status())));
            if (!"CANCELLED".equals(p.status())) {
                total = total.add(p.amount().amount());
            }
        }
        String period = (from == null ? "…" : formats.date(from)) + " – " + (to == null ? "…" : formats.date(to));
        Report report = new Report(text("report.claimPack.title", viewer.bond().name()),
                List.of(text("report.claimPack.about", principal.getName(), period),
                        text("report.claimPack.total", formats.money(total, currency), shown.size())),
                List.of(new Report.Table(text("report.claimPack.lines"), columns("payoutId", "measurementId", "payerId",
                        "metric", "cohortId", "participantRef", "outcomeOn", "evidence", "rule", "gross", "capped",
                        "payable", "currency", "status", "settledAt"),
                        List.of(text("measurement.id"), text("bond.metric"), text("report.participant"),
                                text("report.outcomeOn"), text("report.evidence"), text("payout.rule"),
                                text("payout.amount"), text("payout.status")),
                        pick(csv, shown, format))),
                rightToLeft());
        return answer(report, format, "claim-pack-" + bondId);
    }

    /** The day the payout's outcome was achieved: its claim's achievedOn, the result's periodEnd, or the submission's day. */
    private static LocalDate outcomeOn(MeasurementView m, PayoutView p) {
        if (m == null) {
            return null;
        }
        if (m.measurement() instanceof Measurement.OutcomeClaims claims) {
            return claims.claims().stream().filter(c -> Objects.equals(c.participantRef(), p.participantRef())
                            && Objects.equals(c.metric(), p.metric())).map(Measurement.OutcomeClaim::achievedOn)
                    .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(day(m));
        }
        return m.measurement() != null && m.measurement().periodEnd() != null ? m.measurement().periodEnd() : day(m);
    }

    private static LocalDate day(MeasurementView m) {
        return m.submittedAt() == null ? null : m.submittedAt().atZone(ZoneOffset.UTC).toLocalDate();
    }

    /**
     * The evidence of a payout line: its claim's own evidence (when the line names its participant), then the
     * measurement's (the first of its evidence references).
     */
    private static List<String> evidence(MeasurementView m, PayoutView p) {
        List<String> refs = new ArrayList<>();
        if (m == null) {
            return refs;
        }
        if (m.measurement() instanceof Measurement.OutcomeClaims claims && p.participantRef() != null) {
            claims.claims().stream().filter(c -> Objects.equals(c.participantRef(), p.participantRef())
                    && Objects.equals(c.metric(), p.metric())).map(Measurement.OutcomeClaim::evidenceRef)
                    .filter(Objects::nonNull).distinct().forEach(refs::add);
        }
        if (!m.evidenceRefs().isEmpty() && !refs.contains(m.evidenceRefs().get(0))) {
            refs.add(m.evidenceRefs().get(0));
        }
        return refs;
    }

    // ----------------------------------------------------------------------------------------- bond's history

    @GetMapping({"/api/bonds/{bondId}/history.{format}", "/app/bonds/{bondId}/history.{format}"})
    public ResponseEntity<?> history(@PathVariable String bondId, @PathVariable String format, Authentication principal) {
        requireFormat(format);
        BondView bond = visibility.viewer(bondId, principal).bond();
        List<HistoryEntry> entries = new ArrayList<>();
        long from = 0;
        while (true) {
            HistoryPage page = visibility.history(bondId, from, PAGE, principal);
            entries.addAll(page.items());
            if (page.next() == null || page.items().isEmpty()) {
                break;
            }
            from = page.next();
        }
        List<List<String>> csv = new ArrayList<>();
        List<List<String>> shown = new ArrayList<>();
        for (HistoryEntry e : entries) {
            String payload = e.payload() == null ? "" : e.payload().toString();
            csv.add(List.of(String.valueOf(e.sequence()), nz(e.occurredAt()),
                    word("event.", e.type()), nz(e.actor()), nz(e.onBehalfOf()), payload, nz(e.hash()), nz(e.previousHash()),
                    Boolean.TRUE.equals(e.redacted()) ? "true" : "false"));
            shown.add(List.of(String.valueOf(e.sequence()), formats.date(e.occurredAtInstant()),
                    word("event.", e.type()), nz(e.actor()), abbreviate(payload),
                    e.hash() == null ? "" : e.hash().substring(0, Math.min(16, e.hash().length()))));
        }
        Report report = new Report(text("report.history.title", bond.name()),
                List.of(text("report.history.about", principal.getName(), entries.size())),
                List.of(new Report.Table(text("bond.history"), columns("sequence", "occurredAt", "type", "actor",
                        "onBehalfOf", "payload", "hash", "previousHash", "redacted"),
                        List.of("#", text("report.date"), text("report.event"), text("report.actor"),
                                text("report.details"), text("report.hash")), pick(csv, shown, format))),
                rightToLeft());
        return answer(report, format, "history-" + bondId);
    }

    // --------------------------------------------------------------------------------------------------- common

    private static void requireFormat(String format) {
        if (!format.equals("csv") && !format.equals("pdf")) {
            throw new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND, "unknown-format",
                    "Reports are served as .csv or .pdf");
        }
    }

    private static List<List<String>> pick(List<List<String>> csv, List<List<String>> shown, String format) {
        return format.equals("csv") ? csv : shown;
    }

    private static ResponseEntity<?> answer(Report report, String format, String name) {
        String file = name.replaceAll("[^A-Za-z0-9._-]", "_") + "." + format;
        HttpHeaders headers = new HttpHeaders();
        headers.setContentDisposition(ContentDisposition.attachment().filename(file, StandardCharsets.UTF_8).build());
        headers.setCacheControl("no-store");
        if (format.equals("csv")) {
            return ResponseEntity.ok().headers(headers).contentType(CSV).body(report.csv());
        }
        return ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_PDF).body(report.pdf());
    }

    private String text(String code, Object... args) {
        return bonds.text(code, args);
    }

    /**
     * A CSV's column names: the stable names (for programs) in English; in Hebrew the reader's words
     * ({@code report.col.<name>}), over the same plain figures.
     */
    private List<String> columns(String... names) {
        return java.util.Arrays.stream(names).map(n -> rightToLeft() ? text("report.col." + n) : n).toList();
    }

    /**
     * A status or an event as the report says it: as recorded ({@code SETTLED}, {@code CapitalCalled}) in English, in
     * the reader's words in Hebrew ({@code prefix + value}, else as recorded).
     */
    private String word(String prefix, String value) {
        if (value == null || !rightToLeft()) {
            return nz(value);
        }
        return messages.getMessage(prefix + value, null, value, LocaleContextHolder.getLocale());
    }

    private boolean rightToLeft() {
        return formats.dir().equals("rtl");
    }

    private String percent(BigDecimal rate) {
        return formats.number(rate.movePointRight(2).setScale(2, java.math.RoundingMode.HALF_EVEN)) + "%";
    }

    private String multiple(BigDecimal multiple) {
        return multiple == null ? "–" : formats.number(multiple) + "×";
    }

    private static String plain(Money money) {
        return money == null ? "" : money.amount().toPlainString();
    }

    private static String plain(BigDecimal value) {
        return value == null ? "" : value.toPlainString();
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 240 ? text : text.substring(0, 239) + "…";
    }
}
