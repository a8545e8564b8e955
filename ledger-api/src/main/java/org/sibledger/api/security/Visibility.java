package org.sibledger.api.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.command.BondReader;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.history.HistoryEntry;
import org.sibledger.contracts.history.HistoryPage;
import org.sibledger.contracts.history.ListHistoryQuery;
import org.sibledger.contracts.investment.FindPortfolioQuery;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.measurement.FindMeasurementQuery;
import org.sibledger.contracts.measurement.ListMeasurementsQuery;
import org.sibledger.contracts.measurement.MeasurementPage;
import org.sibledger.contracts.measurement.MeasurementView;
import org.sibledger.contracts.payout.FindLiabilitiesQuery;
import org.sibledger.contracts.payout.LiabilitiesView;
import org.sibledger.contracts.payout.ListPayoutsQuery;
import org.sibledger.contracts.payout.PayoutPage;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.contracts.performance.FindPerformanceQuery;
import org.sibledger.contracts.performance.PerformanceView;
import org.sibledger.core.bond.InvestorStanding;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Who sees what of a bond: DOMAIN.md's segregation rule as one table, and the one place every read of the API and of
 * the pages goes through to be refused, filtered or redacted by it. Each party sees what is its own: an investor never
 * sees another investor's amounts (only bond totals), a payer never sees another payer's payouts (only bond totals),
 * and participant-level claims (participant references and the evidence of each claim) are seen only by evaluators
 * (their own submissions), outcome payers, the reviewer and the arranger. A principal the bond's terms do not name
 * (nor an admin) is answered as for a bond that does not exist ({@link BondAccess}).
 * <p>
 * A principal's kinds on a bond are the roles it holds that the terms name it in; where it holds several, it sees what
 * any of them sees. {@link #TABLE} is what the OpenAPI descriptions state and what VisibilityTableTest is generated
 * from; the methods below are how each cell is carried out.
 */
@Component
public class Visibility {

    /** The kinds of party a bond's terms name, and the operator. */
    public enum PartyKind { ARRANGER, INVESTOR, OUTCOME_PAYER, EVALUATOR, SERVICE_PROVIDER, REVIEWER, ADMIN }

    /** The reads of a bond (and of an investor's portfolio). */
    public enum Read { BOND, TERMS, AMENDMENTS, HISTORY, EVENTS, INTEGRITY, MEASUREMENTS, PAYOUTS, LIABILITIES, PORTFOLIO,
        PERFORMANCE, EXPORT }

    /**
     * What a kind of party sees of a read: ALL of it; only its OWN part (the rest only as bond totals, or not at all);
     * all of it REDACTED (what is not its own taken out, as the read's rule says); or NONE (403 for a party).
     */
    public enum Sees { ALL, OWN, REDACTED, NONE }

    /** The visibility table: read x party kind. */
    public static final Map<Read, Map<PartyKind, Sees>> TABLE = table();

    private static Map<Read, Map<PartyKind, Sees>> table() {
        Map<Read, Map<PartyKind, Sees>> t = new EnumMap<>(Read.class);
        //                      arranger   investor       payer          evaluator      provider       reviewer       admin
        row(t, Read.BOND,        Sees.ALL, Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL);
        row(t, Read.TERMS,       Sees.ALL, Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL);
        row(t, Read.AMENDMENTS,  Sees.ALL, Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL);
        row(t, Read.HISTORY,     Sees.ALL, Sees.REDACTED, Sees.REDACTED, Sees.REDACTED, Sees.REDACTED, Sees.REDACTED, Sees.ALL);
        row(t, Read.EVENTS,      Sees.ALL, Sees.REDACTED, Sees.REDACTED, Sees.REDACTED, Sees.REDACTED, Sees.REDACTED, Sees.ALL);
        row(t, Read.INTEGRITY,   Sees.ALL, Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL);
        row(t, Read.MEASUREMENTS, Sees.ALL, Sees.NONE,    Sees.ALL,      Sees.OWN,      Sees.NONE,     Sees.ALL,      Sees.ALL);
        row(t, Read.PAYOUTS,     Sees.ALL, Sees.REDACTED, Sees.OWN,      Sees.REDACTED, Sees.REDACTED, Sees.ALL,      Sees.ALL);
        row(t, Read.LIABILITIES, Sees.ALL, Sees.NONE,     Sees.OWN,      Sees.NONE,     Sees.NONE,     Sees.NONE,     Sees.ALL);
        row(t, Read.PORTFOLIO,   Sees.NONE, Sees.OWN,     Sees.NONE,     Sees.NONE,     Sees.NONE,     Sees.NONE,     Sees.ALL);
        row(t, Read.PERFORMANCE, Sees.ALL, Sees.ALL,      Sees.REDACTED, Sees.ALL,      Sees.ALL,      Sees.ALL,      Sees.ALL);
        row(t, Read.EXPORT,      Sees.ALL, Sees.NONE,     Sees.NONE,     Sees.NONE,     Sees.NONE,     Sees.NONE,     Sees.ALL);
        return Collections.unmodifiableMap(t);
    }

    private static void row(Map<Read, Map<PartyKind, Sees>> t, Read read, Sees... cells) {
        Map<PartyKind, Sees> row = new EnumMap<>(PartyKind.class);
        for (PartyKind kind : PartyKind.values()) {
            row.put(kind, cells[kind.ordinal()]);
        }
        t.put(read, Collections.unmodifiableMap(row));
    }

    /** History events that are one investor's position: shown only to that investor, the arranger and an admin. */
    private static final Set<String> INVESTOR_EVENTS = Set.of("CommitmentMade", "CommitmentIncreased",
            "CommitmentWithdrawn", "CapitalCallFunded");

    private final QueryGateway queries;
    private final BondAccess access;
    private final BondReader reader;

    public Visibility(QueryGateway queries, BondAccess access, BondReader reader) {
        this.queries = queries;
        this.access = access;
        this.reader = reader;
    }

    /** A principal as a reader of one bond: its party id and the kinds the bond's terms give it. */
    public record Viewer(String id, Set<PartyKind> kinds, BondView bond) {

        public boolean is(PartyKind kind) {
            return kinds.contains(kind);
        }

        /** What this reader sees of a read: the most any of its kinds sees. */
        public Sees sees(Read read) {
            Sees most = Sees.NONE;
            for (PartyKind kind : kinds) {
                Sees cell = TABLE.get(read).get(kind);
                if (cell.ordinal() < most.ordinal()) {
                    most = cell;
                }
            }
            return most;
        }

        boolean seesAllMoney() {
            return is(PartyKind.ARRANGER) || is(PartyKind.ADMIN);
        }

        /** Participant-level claims of every evaluator. */
        boolean seesAllClaims() {
            return sees(Read.MEASUREMENTS) == Sees.ALL;
        }

        boolean seesClaimsOf(String evaluatorId) {
            return seesAllClaims() || (is(PartyKind.EVALUATOR) && id.equals(evaluatorId));
        }

        /** The pseudonymous references of enrolled participants: whoever sees claims, and the providers who enrol. */
        boolean seesParticipants() {
            return seesAllClaims() || is(PartyKind.EVALUATOR) || is(PartyKind.SERVICE_PROVIDER);
        }

        /** One investor's amounts: its own, and everyone's for the arranger and an admin. */
        boolean seesInvestor(String investorId) {
            return seesAllMoney() || (is(PartyKind.INVESTOR) && id.equals(investorId));
        }

        /** One payer's payouts: its own; a payer sees no other payer's; parties that are no payer see them all. */
        boolean seesPayoutsOf(String payerId) {
            return seesAllMoney() || (is(PartyKind.OUTCOME_PAYER) ? id.equals(payerId) : !kinds.isEmpty());
        }
    }

    /** The principal as a reader of the bond; a non-party is told the bond does not exist. */
    public Viewer viewer(String bondId, Authentication principal) {
        return viewer(access.requireParty(bondId, principal), principal);
    }

    public static Viewer viewer(BondView bond, Authentication principal) {
        String me = principal.getName();
        BondTerms.Parties parties = bond.terms().parties();
        Set<PartyKind> kinds = EnumSet.noneOf(PartyKind.class);
        if (Principals.isAdmin(principal)) {
            kinds.add(PartyKind.ADMIN);
        }
        if (Principals.hasRole(principal, Role.ARRANGER) && me.equals(parties.arranger())) {
            kinds.add(PartyKind.ARRANGER);
        }
        if (Principals.hasRole(principal, Role.INVESTOR) && parties.investors().contains(me)) {
            kinds.add(PartyKind.INVESTOR);
        }
        if (Principals.hasRole(principal, Role.OUTCOME_PAYER) && parties.outcomePayers().stream().anyMatch(p -> p.id().equals(me))) {
            kinds.add(PartyKind.OUTCOME_PAYER);
        }
        if (Principals.hasRole(principal, Role.EVALUATOR) && parties.evaluators().contains(me)) {
            kinds.add(PartyKind.EVALUATOR);
        }
        if (Principals.hasRole(principal, Role.PROVIDER) && parties.serviceProviders().contains(me)) {
            kinds.add(PartyKind.SERVICE_PROVIDER);
        }
        if (Principals.hasRole(principal, Role.REVIEWER) && parties.reviewers().contains(me)) {
            kinds.add(PartyKind.REVIEWER);
        }
        return new Viewer(me, kinds, bond);
    }

    // ------------------------------------------------------------------------------------------ bond and terms

    /** The bond with its terms, in full, for any party: the terms are the contract every party is named in. */
    public BondView bond(String bondId, Authentication principal) {
        return access.requireParty(bondId, principal);
    }

    /** Before the open amendment (terms side by side) or the integrity verdict is read: any party. */
    public Viewer anyParty(String bondId, Authentication principal) {
        return viewer(bondId, principal);
    }

    // ------------------------------------------------------------------------------------------------- history

    /** The bond's history as this reader may see it: see {@link #redact(Viewer, HistoryEntry, OwnPayouts)}. */
    public HistoryPage history(String bondId, long from, int size, Authentication principal) {
        Viewer viewer = viewer(bondId, principal);
        HistoryPage page = queries.query(new ListHistoryQuery(bondId, from, size), HistoryPage.class).join();
        if (viewer.sees(Read.HISTORY) == Sees.ALL) {
            return page;
        }
        return new HistoryPage(page.bondId(), page.from(), page.items().stream().map(redaction(viewer, Read.HISTORY))
                .toList(), page.next());
    }

    /**
     * The history's rule for a read of the bond's events (the history, or its events exactly as hashed): each entry as
     * is for a reader who sees them all, else as {@link #redact(Viewer, HistoryEntry, OwnPayouts)} shows it.
     */
    public UnaryOperator<HistoryEntry> redaction(Viewer viewer, Read read) {
        if (viewer.sees(read) == Sees.ALL) {
            return entry -> entry;
        }
        OwnPayouts own = new OwnPayouts(viewer);
        return entry -> redact(viewer, entry, own);
    }

    /**
     * One history entry for a reader who does not see all: another investor's commitment, increase, withdrawal or
     * funding, and another payer's payout triggered, settled or cancelled, are shown as redacted (type, sequence, time,
     * hash and previous hash kept; payload emptied; actor, on-behalf-of and idempotency key removed); a capital call's
     * allocations, a distribution's lines and a guarantee call's payments keep only the reader's own (the totals stay);
     * outcome claims of a measurement lose their participant references and evidence (a claim count stays) for whoever
     * may not see them, a payout line its participant reference, an enrolment its references (a count stays).
     */
    HistoryEntry redact(Viewer viewer, HistoryEntry entry, OwnPayouts own) {
        if (!(entry.payload() instanceof ObjectNode stored)) {
            return entry;
        }
        String type = entry.type();
        if (INVESTOR_EVENTS.contains(type)) {
            return viewer.seesInvestor(stored.path("investorId").asText(null)) ? entry : hidden(entry);
        }
        switch (type) {
            case "PayoutTriggered", "PayoutSettled" -> {
                if (!viewer.seesPayoutsOf(stored.path("payerId").asText(null))) {
                    return hidden(entry);
                }
                if (stored.hasNonNull("participantRef") && !viewer.seesAllClaims()) {
                    ObjectNode payload = stored.deepCopy();
                    payload.remove("participantRef");
                    if (stored.hasNonNull("rule")) {
                        payload.put("rule", withoutParticipant(stored.get("rule").asText(), stored.get("participantRef").asText()));
                    }
                    return shown(entry, payload);
                }
                return entry;
            }
            case "PayoutCancelled" -> {
                return viewer.seesAllMoney() || !viewer.is(PartyKind.OUTCOME_PAYER)
                        || own.contains(stored.path("payoutId").asText()) ? entry : hidden(entry);
            }
            case "CapitalCalled" -> {
                return keepOwn(entry, stored, "allocations", line -> viewer.seesInvestor(line.path("investorId").asText(null)));
            }
            case "DistributionMade" -> {
                return keepOwn(entry, stored, "lines", line -> viewer.seesInvestor(line.path("investorId").asText(null)));
            }
            case "GuaranteeCalled" -> {
                return keepOwn(entry, stored, "payments", line -> viewer.seesInvestor(line.path("investorId").asText(null))
                        || viewer.seesInvestor(line.path("guarantorId").asText(null)));
            }
            case "MeasurementSubmitted" -> {
                JsonNode measurement = stored.path("measurement");
                if (viewer.seesClaimsOf(stored.path("evaluatorId").asText(null))
                        || !"OUTCOME_CLAIMS".equals(measurement.path("type").asText())) {
                    return entry;
                }
                ObjectNode payload = stored.deepCopy();
                ObjectNode claims = ((ObjectNode) payload.get("measurement"));
                claims.put("claimCount", measurement.path("claims").size());
                claims.remove("claims");
                payload.remove("evidenceRef");
                return shown(entry, payload);
            }
            case "ParticipantsEnrolled" -> {
                if (viewer.seesParticipants()) {
                    return entry;
                }
                ObjectNode payload = stored.deepCopy();
                payload.put("participantCount", stored.path("participantRefs").size());
                payload.remove("participantRefs");
                return shown(entry, payload);
            }
            default -> {
                return entry;
            }
        }
    }

    private static HistoryEntry keepOwn(HistoryEntry entry, ObjectNode stored, String field, Predicate<JsonNode> own) {
        JsonNode lines = stored.path(field);
        if (!lines.isArray()) {
            return entry;
        }
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        lines.forEach(line -> {
            if (own.test(line)) {
                kept.add(line);
            }
        });
        if (kept.size() == lines.size()) {
            return entry;
        }
        ObjectNode payload = stored.deepCopy();
        payload.set(field, kept);
        return shown(entry, payload);
    }

    /** The entry with some of its payload taken out: who acted stays. */
    private static HistoryEntry shown(HistoryEntry e, ObjectNode payload) {
        return new HistoryEntry(e.sequence(), e.eventId(), e.type(), e.payloadType(), e.revision(), e.occurredAt(), e.actor(),
                e.onBehalfOf(), e.idempotencyKey(), e.hash(), e.previousHash(), payload, true);
    }

    /** The entry as a link of the chain only: what happened and who did it are not the reader's business. */
    private static HistoryEntry hidden(HistoryEntry e) {
        return new HistoryEntry(e.sequence(), e.eventId(), e.type(), e.payloadType(), e.revision(), e.occurredAt(), null, null, null,
                e.hash(), e.previousHash(), JsonNodeFactory.instance.objectNode(), true);
    }

    /** A payer's own payout ids on the bond, read once and only when a cancellation must be told apart. */
    final class OwnPayouts {
        private final Viewer viewer;
        private Set<String> ids;

        OwnPayouts(Viewer viewer) {
            this.viewer = viewer;
        }

        boolean contains(String payoutId) {
            if (ids == null) {
                ids = new HashSet<>();
                for (int page = 0; ; page++) {
                    PayoutPage batch = queries.query(new ListPayoutsQuery(viewer.bond().bondId(), page, 500, viewer.id()),
                            PayoutPage.class).join();
                    batch.items().forEach(p -> ids.add(p.payoutId()));
                    if (batch.items().size() < 500) {
                        break;
                    }
                }
            }
            return ids.contains(payoutId);
        }
    }

    // ------------------------------------------------------------------------------------------------- payouts

    /**
     * The bond's payout lines: all of them for the arranger, the reviewer and an admin; a payer only its own lines
     * (every other payer's only in the bond totals); investors, evaluators and providers every line without its
     * participant reference. The page's totals are always the whole bond's.
     */
    public PayoutPage payouts(String bondId, int page, int size, Authentication principal) {
        return payouts(viewer(bondId, principal), page, size);
    }

    public PayoutPage payouts(Viewer viewer, int page, int size) {
        Sees sees = viewer.sees(Read.PAYOUTS);
        String bondId = viewer.bond().bondId();
        if (sees == Sees.NONE) {
            throw forbidden("not-your-payouts", "The bond's payouts are not shown to this party");
        }
        PayoutPage all = queries.query(new ListPayoutsQuery(bondId, page, size, sees == Sees.OWN ? viewer.id() : null),
                PayoutPage.class).join();
        if (sees != Sees.REDACTED) {
            return all;
        }
        List<PayoutView> lines = all.items().stream().map(p -> new PayoutView(p.payoutId(), p.bondId(), p.measurementId(),
                p.payerId(), p.metric(), p.cohortId(), null, p.gross(), p.amount(), p.capped(),
                withoutParticipant(p.rule(), p.participantRef()), p.status(),
                p.triggeredAt(), p.settledAt(), p.termsVersion())).toList();
        return new PayoutPage(lines, all.page(), all.size(), all.totalItems(), all.totals());
    }

    /** A payout's rule without the participant it names ("... for participant p-1" becomes "... for a participant"). */
    static String withoutParticipant(String rule, String participantRef) {
        if (rule == null || participantRef == null || participantRef.isEmpty()) {
            return rule;
        }
        return rule.replace("for participant " + participantRef, "for a participant")
                .replace("participant '" + participantRef + "'", "a participant")
                .replace(participantRef, "(participant)");
    }

    // --------------------------------------------------------------------------------------------- performance

    /** The bond's performance (bond totals); a payer is not shown the use of another payer's cap. */
    public PerformanceView performance(String bondId, LocalDate asOf, Authentication principal) {
        return performance(viewer(bondId, principal), asOf);
    }

    public PerformanceView performance(Viewer viewer, LocalDate asOf) {
        String bondId = viewer.bond().bondId();
        PerformanceView view = queries.query(new FindPerformanceQuery(bondId, asOf),
                ResponseTypes.optionalInstanceOf(PerformanceView.class)).join().orElseThrow(() -> BondAccess.unknownBond(bondId));
        if (viewer.sees(Read.PERFORMANCE) != Sees.REDACTED) {
            return view;
        }
        List<PerformanceView.CapLine> caps = view.caps().stream()
                .filter(c -> !"PAYER".equals(c.kind()) || viewer.id().equals(c.subject())).toList();
        return new PerformanceView(view.bondId(), view.currency(), view.asOf(), view.total(), view.metrics(), caps,
                view.targets(), view.months());
    }

    // -------------------------------------------------------------------------------------------- measurements

    /** The measurements (participant-level claims): all for the arranger, payers, reviewers and an admin; an evaluator its own. */
    public MeasurementPage measurements(String bondId, String status, int page, int size, Authentication principal) {
        return measurements(viewer(bondId, principal), status, page, size);
    }

    public MeasurementPage measurements(Viewer viewer, String status, int page, int size) {
        String evaluator = measurementReader(viewer);
        return queries.query(new ListMeasurementsQuery(viewer.bond().bondId(), status, evaluator, page, size),
                MeasurementPage.class).join();
    }

    public MeasurementView measurement(String bondId, String measurementId, Authentication principal) {
        String evaluator = measurementReader(viewer(bondId, principal));
        return queries.query(new FindMeasurementQuery(bondId, measurementId),
                        ResponseTypes.optionalInstanceOf(MeasurementView.class)).join()
                .filter(m -> evaluator == null || evaluator.equals(m.evaluatorId()))
                .orElseThrow(() -> new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND,
                        "unknown-measurement", "No measurement '" + measurementId + "' on bond '" + bondId + "'")
                        .with(measurementId));
    }

    /** null for a reader of every measurement, the evaluator's id for one that sees its own; anyone else is refused. */
    private static String measurementReader(Viewer viewer) {
        return switch (viewer.sees(Read.MEASUREMENTS)) {
            case ALL -> null;
            case OWN -> viewer.id();
            default -> throw forbidden("not-a-verifier",
                    "Only the bond's arranger, outcome payers, reviewers and evaluators see its measurements");
        };
    }

    // --------------------------------------------------------------------------------------------- liabilities

    /** The payers' liabilities: every payer's for the arranger and an admin, a payer only its own line. */
    public LiabilitiesView liabilities(String bondId, Authentication principal) {
        return liabilities(viewer(bondId, principal));
    }

    public LiabilitiesView liabilities(Viewer viewer) {
        String bondId = viewer.bond().bondId();
        Sees sees = viewer.sees(Read.LIABILITIES);
        if (sees == Sees.NONE) {
            throw forbidden("not-a-payer", "Only the bond's arranger and outcome payers see its liabilities");
        }
        return queries.query(new FindLiabilitiesQuery(bondId, sees == Sees.ALL ? null : viewer.id()),
                ResponseTypes.optionalInstanceOf(LiabilitiesView.class)).join().orElseThrow(() -> BondAccess.unknownBond(bondId));
    }

    // ----------------------------------------------------------------------------------------------- portfolio

    /** An investor's positions: only its own (an admin any investor's). */
    public PortfolioRecord portfolio(String investorId, Authentication principal) {
        if (!Principals.isAdmin(principal) && !principal.getName().equals(investorId)) {
            throw forbidden("not-your-portfolio", "An investor sees only its own positions");
        }
        return queries.query(new FindPortfolioQuery(investorId), PortfolioRecord.class).join();
    }

    /**
     * An investor's own commitments and shares of the bond's capital calls, as the bond holds them now (what its pages
     * offer it to commit, increase, withdraw and fund): only ever the reader's own, and only for an investor of the
     * bond; anyone else, an admin or the arranger too, is refused (they read the positions elsewhere).
     */
    public InvestorStanding standing(Viewer viewer) {
        if (!viewer.is(PartyKind.INVESTOR)) {
            throw forbidden("not-an-investor", "Only the bond's investors have commitments and capital calls of their own");
        }
        return reader.read(viewer.bond().bondId(), bond -> bond.standingOf(viewer.id()));
    }

    // -------------------------------------------------------------------------------------------------- export

    /** The INDIGO export holds every investor's and payer's figures: the arranger's and an admin's only. */
    public BondView export(String bondId, Authentication principal) {
        Viewer viewer = viewer(bondId, principal);
        if (viewer.sees(Read.EXPORT) == Sees.NONE) {
            throw forbidden("not-the-arranger", "Only the bond's arranger exports it");
        }
        return viewer.bond();
    }

    private static CommandRefusedException forbidden(String code, String detail) {
        return new CommandRefusedException(CommandRefusedException.Kind.FORBIDDEN, code, detail);
    }
}
