package org.sibledger.api.security;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.security.Visibility.PartyKind;
import org.sibledger.api.security.Visibility.Read;
import org.sibledger.api.security.Visibility.Sees;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Pages;
import org.sibledger.api.support.Terms;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each party sees what is its own (issue 16, item 3), generated from {@link Visibility#TABLE}: every read x every
 * party kind, as a party of the bond (200, or 403 where the table says NONE, and the absence of what that kind must
 * not see in every answer it gets), as a party of another bond (404, as for a bond that does not exist; 403 where its
 * role may never make the read) and anonymous (401). Then the issue's own rows: investor2 reading the history, the
 * provider reading the history, payer2 reading the payouts and the history, and the same on the bond's page.
 * <p>
 * The bond names two investors (investor commits 7,777.00, investor2 2,223.00) and two payers (payer 60%, payer2 40%
 * of each payout: 1,650.00 and 1,100.00 of a 2,750.00 claim). A second bond names investor and payer, and evaluator,
 * provider and reviewer ids no demo user has, so investor2, payer2, evaluator, provider and reviewer are parties of a
 * bond, but not of that one. (The only demo arranger structures every bond, so "arranger of another bond" is left out.)
 */
class VisibilityTableTest {

    private static final String BOND = "vis";
    private static final String B = "/api/bonds/" + BOND;
    private static final String APART = "vis-apart";
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

    /** The demo user of each kind that reads the bond as its party: investor2 and payer2, beside investor and payer. */
    private static final Map<PartyKind, String> READER = new EnumMap<>(Map.of(
            PartyKind.ARRANGER, "arranger", PartyKind.INVESTOR, "investor2", PartyKind.OUTCOME_PAYER, "payer2",
            PartyKind.EVALUATOR, "evaluator", PartyKind.SERVICE_PROVIDER, "provider", PartyKind.REVIEWER, "reviewer",
            PartyKind.ADMIN, "admin"));

    /** What the investor, not investor2, committed, was called for, funded and was distributed. */
    private static final String INVESTOR_COMMITTED = "7777.00";
    private static final String INVESTOR_CALLED = "3888.50";
    private static final String INVESTOR_DISTRIBUTED = "777.70";
    /** payer's 60% of a 2,750.00 claim; payer2's 40% is 1,100.00. */
    private static final String PAYER_AMOUNT = "1650.00";
    private static final String EVIDENCE = "secret-ev";

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private static final List<String> payerPayoutIds = new ArrayList<>();

    @BeforeAll
    static void bonds() {
        String terms = Terms.rateCard(BOND)
                .replace("\"investors\": [\"investor\"]", "\"investors\": [\"investor\", \"investor2\"]")
                .replace("\"outcomePayers\": [{\"id\": \"payer\", \"share\": \"1.0\", \"cap\": \"2250000.00\"}]",
                        "\"outcomePayers\": [{\"id\": \"payer\", \"share\": \"0.6\", \"cap\": \"2250000.00\"},"
                                + " {\"id\": \"payer2\", \"share\": \"0.4\", \"cap\": \"2250000.00\"}]");
        assertThat(terms).contains("payer2").contains("investor2");
        ok(node.api("arranger").post("/api/bonds", terms), 201);
        ok(node.api("investor").post(B + "/commitments", "{\"tranche\": \"senior\", \"amount\": \"" + INVESTOR_COMMITTED + "\"}"), 201);
        ok(node.api("investor2").post(B + "/commitments", "{\"tranche\": \"senior\", \"amount\": \"2223.00\"}"), 201);
        ok(node.api("arranger").post(B + "/opening", ""), 200);
        String call = ok(node.api("arranger").post(B + "/capital-calls", """
                {"amount": "5000.00", "dueDate": "%s"}""".formatted(TODAY)), 201).json().get("callId").asText();
        ok(node.api("investor").post(B + "/capital-calls/" + call + "/fundings", "{\"amount\": \"" + INVESTOR_CALLED + "\"}"), 201);
        ok(node.api("investor2").post(B + "/capital-calls/" + call + "/fundings", "{\"amount\": \"1111.50\"}"), 201);
        ok(node.api("provider").post(B + "/cohorts", """
                {"cohortId": "c1", "name": "Cohort 1", "size": 5, "startDate": "2019-01-01"}"""), 201);
        ok(node.api("provider").post(B + "/cohorts/c1/participants", """
                [{"participantRef": "p-vis-1"}, {"participantRef": "p-vis-2"}]"""), 201);
        String measurement = ok(node.api("evaluator").post(B + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-%s", "claims": [{"participantRef": "p-vis-1",
                 "metric": "earns-768", "achievedOn": "2019-06-01", "evidenceRef": "claim-%s"}]}""".formatted(EVIDENCE, EVIDENCE)), 202)
                .json().get("measurementId").asText();
        ok(node.api("payer").post(B + "/measurements/" + measurement + "/decision", """
                {"decision": "APPROVE", "reason": "payslip checked"}"""), 200);
        // each payer decides for its own share where the bond says so; where one approval books both shares, payer2's
        // line is there already
        node.api("payer").await(B + "/payouts", r -> r.json().path("items").size() > 0);
        if (node.api("payer2").get(B + "/payouts").json().path("items").isEmpty()) {
            ok(node.api("payer2").post(B + "/measurements/" + measurement + "/decision", """
                    {"decision": "APPROVE", "reason": "payslip checked"}"""), 200);
        }
        JsonNode payer2Lines = node.api("payer2").await(B + "/payouts", r -> r.json().path("items").size() > 0)
                .json().path("items");
        JsonNode payerLines = node.api("payer").get(B + "/payouts").json().path("items");
        payerLines.forEach(p -> payerPayoutIds.add(p.get("payoutId").asText()));
        assertThat(payerLines.findValuesAsText("payerId")).containsOnly("payer");
        assertThat(payerLines.at("/0/amount/amount").asText()).isEqualTo(PAYER_AMOUNT);
        ok(node.api("payer").post(B + "/payouts/" + payerPayoutIds.get(0) + "/settlement", ""), 200);
        // both settle, so that the settled total is the bond's, not payer's
        ok(node.api("payer2").post(B + "/payouts/" + payer2Lines.at("/0/payoutId").asText() + "/settlement", ""), 200);
        ok(node.api("arranger").post(B + "/distributions", """
                {"amount": "1000.00", "date": "%s"}""".formatted(TODAY)), 201);

        ok(node.api("arranger").post("/api/bonds", Terms.rateCard(APART)
                .replace("\"serviceProviders\": [\"provider\"]", "\"serviceProviders\": [\"provider-x\"]")
                .replace("\"evaluators\": [\"evaluator\"]", "\"evaluators\": [\"evaluator-x\"]")
                .replace("\"reviewers\": [\"reviewer\"]", "\"reviewers\": [\"reviewer-x\"]")), 201);
    }

    /** Every cell of the table, for a party of the bond, a party of another bond and anonymous. */
    @Test
    void everyReadByEveryPartyKindShowsOnlyWhatTheTableSays() {
        // the secrets are there to be hidden: the arranger sees them all
        String all = node.api("arranger").get(B + "/history?size=500").body();
        assertThat(all).contains(INVESTOR_COMMITTED, INVESTOR_CALLED, INVESTOR_DISTRIBUTED, PAYER_AMOUNT, EVIDENCE,
                "\"participantRef\"", payerPayoutIds.get(0));
        int cells = 0;
        for (Read read : Read.values()) {
            for (PartyKind kind : PartyKind.values()) {
                Sees sees = Visibility.TABLE.get(read).get(kind);
                String user = READER.get(kind);
                String what = kind + " (" + user + ") reads " + read;

                Api.Response own = node.api(user).get(path(read, BOND, user));
                assertThat(own.status()).as(what + " of its bond: " + own).isEqualTo(sees == Sees.NONE ? 403 : 200);
                if (own.status() == 200) {
                    assertNothingHidden(kind, what, own.body());
                }

                assertThat(node.anonymous().get(path(read, BOND, user)).status()).as("anonymous " + read).isEqualTo(401);

                if (kind != PartyKind.ARRANGER && kind != PartyKind.ADMIN) {
                    Api.Response other = node.api(user).get(read == Read.PORTFOLIO ? "/api/investors/investor/portfolio"
                            : path(read, APART, user));
                    if (sees == Sees.NONE || read == Read.PORTFOLIO) {
                        assertThat(other.status()).as(what + " of another's: " + other).isEqualTo(403);
                    } else {
                        assertThat(other.status()).as(what + " of a bond it is no party of: " + other).isEqualTo(404);
                        assertThat(other.json().get("code").asText()).isEqualTo("unknown-bond");
                    }
                }
                cells++;
            }
        }
        assertThat(cells).isEqualTo(Read.values().length * PartyKind.values().length);
    }

    /** The row: investor2 read investor's commitment and funding amounts in the history. */
    @Test
    void investor2ReadsTheHistoryWithoutInvestorsAmounts() {
        JsonNode history = node.api("investor2").get(B + "/history?size=500").json();
        JsonNode full = node.api("arranger").get(B + "/history?size=500").json();
        assertThat(history.toString()).doesNotContain(INVESTOR_COMMITTED, INVESTOR_CALLED, INVESTOR_DISTRIBUTED);
        assertThat(history.findValuesAsText("investorId")).doesNotContain("investor").contains("investor2");
        assertThat(history.findValuesAsText("actor")).doesNotContain("investor");
        // investor's commitment and funding are there as redacted links of the chain; investor2's own are in full
        List<String> redacted = new ArrayList<>();
        history.get("items").forEach(e -> {
            if (e.path("redacted").asBoolean()) {
                redacted.add(e.get("type").asText());
            }
        });
        assertThat(redacted).contains("CommitmentMade", "CapitalCallFunded", "CapitalCalled", "DistributionMade",
                "MeasurementSubmitted", "ParticipantsEnrolled");
        assertChainFollowable(history, full);
        // investor itself sees its own
        assertThat(node.api("investor").get(B + "/history?size=500").body()).contains(INVESTOR_COMMITTED, INVESTOR_CALLED);
        // and neither performance nor payouts tell it
        assertThat(node.api("investor2").get(B + "/performance").body()).doesNotContain(INVESTOR_COMMITTED, INVESTOR_CALLED);
        assertThat(node.api("investor2").get(B + "/payouts").body()).doesNotContain(INVESTOR_COMMITTED, INVESTOR_CALLED);
        assertThat(node.api("investor2").get("/api/investors/investor/portfolio").status()).isEqualTo(403);
    }

    /** The row: the provider read participant-level claims and evidence in the history. */
    @Test
    void providerReadsTheHistoryWithoutParticipantLevelClaims() {
        JsonNode history = node.api("provider").get(B + "/history?size=500").json();
        assertThat(history.findValues("participantRef")).isEmpty();
        assertThat(history.toString()).doesNotContain(EVIDENCE);
        JsonNode submitted = entry(history, "MeasurementSubmitted");
        assertThat(submitted.path("redacted").asBoolean()).isTrue();
        assertThat(submitted.at("/payload/measurement/claimCount").asInt()).isEqualTo(1);
        assertThat(submitted.path("actor").asText()).isEqualTo("evaluator");
        // the provider enrolled the participants: its own act, shown in full
        assertThat(entry(history, "ParticipantsEnrolled").at("/payload/participantRefs").size()).isEqualTo(2);
        JsonNode payouts = node.api("provider").get(B + "/payouts").json();
        assertThat(payouts.findValues("participantRef")).isEmpty();
        assertThat(payouts.at("/totals/booked/amount").asText()).isEqualTo("2750.00");
        assertThat(node.api("provider").get(B + "/measurements").status()).isEqualTo(403);
        // the payers, the reviewer, the evaluator and the arranger see the claims
        for (String user : List.of("payer", "payer2", "reviewer", "evaluator", "arranger")) {
            assertThat(node.api(user).get(B + "/history?size=500").body()).as(user).contains(EVIDENCE, "p-vis-1");
        }
    }

    /** The row: payer2 read payer's payouts in /payouts and in the history. */
    @Test
    void payer2ReadsPayoutsAndHistoryWithoutPayersPayouts() {
        JsonNode payouts = node.api("payer2").get(B + "/payouts").json();
        assertThat(payouts.get("items").findValuesAsText("payerId")).containsOnly("payer2");
        assertThat(payouts.toString()).doesNotContain(PAYER_AMOUNT);
        payerPayoutIds.forEach(id -> assertThat(payouts.toString()).doesNotContain(id));
        // the other payer's payouts only as the bond's totals
        assertThat(payouts.at("/totals/booked/amount").asText()).isEqualTo("2750.00");
        assertThat(payouts.at("/totals/settled/amount").asText()).isEqualTo("2750.00");

        JsonNode history = node.api("payer2").get(B + "/history?size=500").json();
        String text = history.toString();
        assertThat(text).doesNotContain(PAYER_AMOUNT);
        payerPayoutIds.forEach(id -> assertThat(text).doesNotContain(id));
        history.get("items").forEach(e -> {
            if (e.get("type").asText().startsWith("Payout") && !e.path("redacted").asBoolean()) {
                assertThat(e.at("/payload/payerId").asText()).isEqualTo("payer2");
            }
        });
        assertChainFollowable(history, node.api("arranger").get(B + "/history?size=500").json());
        assertThat(node.api("payer2").get(B + "/performance").body()).doesNotContain(PAYER_AMOUNT);
        assertThat(node.api("payer2").get(B + "/liabilities").body()).doesNotContain(PAYER_AMOUNT);
        // payer sees its own in full
        assertThat(node.api("payer").get(B + "/history?size=500").body()).contains(PAYER_AMOUNT, payerPayoutIds.get(0));
    }

    /** The pages show what the API shows: the same one place decides. */
    @Test
    void theBondPageShowsEachPartyOnlyItsOwn() throws Exception {
        String payer2 = page("payer2", "/app/bonds/" + BOND);
        assertThat(payer2).contains("1,100.00").doesNotContain("1,650.00");
        payerPayoutIds.forEach(id -> assertThat(payer2).doesNotContain(id));
        assertThat(page("payer", "/app/bonds/" + BOND)).contains("1,650.00");
        String investor2 = page("investor2", "/app/bonds/" + BOND);
        // the history table names who acted, except on what is not the reader's own
        assertThat(investor2).doesNotContain(">investor<").contains("(redacted)");
        assertThat(page("arranger", "/app/bonds/" + BOND)).contains(">investor<");
    }

    // ----------------------------------------------------------------------------------------------------------------

    /**
     * What a kind must never see, in any answer: another investor's amounts and id (every kind but the arranger and an
     * admin, who see all money, is shown only investor2's or no investor's), another payer's payouts (payer2), and
     * participant references and evidence of claims (investors and providers).
     */
    private static void assertNothingHidden(PartyKind kind, String what, String body) {
        if (kind == PartyKind.ARRANGER || kind == PartyKind.ADMIN) {
            return;
        }
        JsonNode json = json(body);
        assertThat(body).as(what).doesNotContain(INVESTOR_COMMITTED, INVESTOR_CALLED, INVESTOR_DISTRIBUTED);
        assertThat(json.findValuesAsText("investorId")).as(what).doesNotContain("investor");
        if (kind == PartyKind.OUTCOME_PAYER) {
            assertThat(body).as(what).doesNotContain(PAYER_AMOUNT);
            payerPayoutIds.forEach(id -> assertThat(body).as(what).doesNotContain(id));
        }
        if (kind == PartyKind.INVESTOR || kind == PartyKind.SERVICE_PROVIDER) {
            assertThat(json.findValues("participantRef")).as(what).isEmpty();
            assertThat(body).as(what).doesNotContain(EVIDENCE);
        }
        if (kind == PartyKind.INVESTOR) {
            assertThat(body).as(what).doesNotContain("p-vis-1");
            assertThat(json.findValuesAsText("actor")).as(what).doesNotContain("investor");
        }
    }

    /** Every entry is there, in order, with its hash and previous hash: the chain can be followed over redactions. */
    private static void assertChainFollowable(JsonNode shown, JsonNode full) {
        assertThat(shown.get("items")).hasSameSizeAs(full.get("items"));
        for (int i = 0; i < full.get("items").size(); i++) {
            JsonNode a = shown.get("items").get(i);
            JsonNode b = full.get("items").get(i);
            assertThat(a.get("sequence")).isEqualTo(b.get("sequence"));
            assertThat(a.get("type")).isEqualTo(b.get("type"));
            assertThat(a.get("hash")).isEqualTo(b.get("hash"));
            assertThat(a.get("previousHash")).isEqualTo(b.get("previousHash"));
            if (i > 0) {
                assertThat(a.get("previousHash")).isEqualTo(shown.get("items").get(i - 1).get("hash"));
            }
        }
    }

    private static String path(Read read, String bond, String user) {
        String b = "/api/bonds/" + bond;
        return switch (read) {
            case BOND, TERMS -> b;
            case AMENDMENTS -> b + "/amendments";
            case HISTORY -> b + "/history?size=500";
            case EVENTS -> b + "/export";
            case INTEGRITY -> b + "/integrity";
            case MEASUREMENTS -> b + "/measurements";
            case PAYOUTS -> b + "/payouts";
            case LIABILITIES -> b + "/liabilities";
            case PORTFOLIO -> "/api/investors/" + (user.equals("admin") ? "investor2" : user) + "/portfolio";
            case PERFORMANCE -> b + "/performance";
            case EXPORT -> b + "/export/indigo";
        };
    }

    private static JsonNode entry(JsonNode history, String type) {
        for (JsonNode e : history.get("items")) {
            if (e.get("type").asText().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " in " + history);
    }

    private static Api.Response ok(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response;
    }

    private static JsonNode json(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------- pages, as a browser

    private static String page(String user, String path) throws Exception {
        return Pages.get(node.node().baseUrl(), user, path);
    }

    static {
        // the readers cover every kind of the table
        assertThat(READER.keySet()).isEqualTo(Set.of(PartyKind.values()));
    }
}
