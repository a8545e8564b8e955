package org.sibledger.api.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.Bonds;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.Terms;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint against every demo user, in the order of a bond's life: each row names who may call it; everyone
 * else is refused (403, or 404 where the bond is none of their business) and nothing is recorded, then the allowed
 * users call it and succeed. The bond names arranger, investor, payer, evaluator and provider; investor2 and payer2
 * hold the right roles but are not parties of it, so they are refused by the bond's terms rather than by role.
 */
class AuthorizationTableTest {

    private static final List<String> USERS = List.of("arranger", "investor", "investor2", "payer", "payer2",
            "evaluator", "provider", "reviewer", "admin");
    private static final Set<String> PARTIES = Set.of("arranger", "investor", "payer", "evaluator", "provider",
            "reviewer", "admin");
    private static final String B = "/api/bonds/authz";
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    private final Map<String, String> ids = new HashMap<>();
    private final List<String> checked = new ArrayList<>();

    @Test
    void everyEndpointAdmitsExactlyItsRoles() {
        post("/api/bonds", Terms.rateCard("authz"), "arranger");
        get(() -> B, PARTIES);
        get(() -> "/api/bonds", Set.copyOf(USERS));
        post(B + "/parties", """
                {"role": "INVESTOR", "partyId": "investor3"}""", "arranger");
        post(B + "/commitments", """
                {"tranche": "senior", "amount": "1000.00"}""", "investor");
        post(B + "/commitments/increase", """
                {"tranche": "senior", "amount": "1000.00"}""", "investor");
        post(B + "/opening", "", "arranger");
        ids.put("call", post(B + "/capital-calls", """
                {"amount": "2000.00", "dueDate": "%s"}""".formatted(TODAY), "arranger").json().get("callId").asText());
        post(() -> B + "/capital-calls/" + ids.get("call") + "/fundings", """
                {"amount": "2000.00"}""", Set.of("investor"));
        post(() -> B + "/cohorts", user -> """
                {"cohortId": "%s", "name": "A cohort", "size": 5, "startDate": "2019-01-01"}"""
                .formatted(user.equals("arranger") ? "c2" : "c1"), Set.of("provider", "arranger"));
        post(B + "/cohorts/c1/participants", """
                [{"participantRef": "p-1"}, {"participantRef": "p-2"}]""", "provider");
        ids.put("m1", submit("p-1"));
        post(() -> B + "/measurements/" + ids.get("m1") + "/decision", """
                {"decision": "APPROVE", "reason": "ok"}""", Set.of("payer"));
        ids.put("m2", submit("p-2"));
        post(() -> B + "/measurements/" + ids.get("m2") + "/decision", """
                {"decision": "DISPUTE", "reason": "evidence unclear"}""", Set.of("payer"));
        post(() -> B + "/measurements/" + ids.get("m2") + "/dispute-resolution", """
                {"resolution": "UPHOLD", "reason": "evidence found"}""", Set.of("reviewer"));
        ids.put("payout", node.api("payer").get(B + "/payouts").json().at("/items/0/payoutId").asText());
        post(() -> B + "/payouts/" + ids.get("payout") + "/settlement", "", Set.of("payer"));
        post(B + "/disbursements", """
                {"providerId": "provider", "amount": "100.00"}""", "arranger");
        post(B + "/distributions", """
                {"amount": "100.00", "date": "%s"}""".formatted(TODAY), "arranger");
        ids.put("proposal", post(B + "/amendments", """
                {"terms": %s, "reason": "a variation", "effectiveFrom": "%s"}"""
                .formatted(Terms.rateCard("authz").replace("\"contractCap\": \"2250000.00\"",
                        "\"contractCap\": \"2300000.00\""), TODAY), "arranger").json().get("proposalId").asText());
        get(() -> B + "/amendments", PARTIES);
        // each party whose consent the variation needs gives it for itself: the payer, and the investor it affects
        post(() -> B + "/amendments/" + ids.get("proposal") + "/consent", "", Set.of("payer", "investor"));
        post(B + "/commitments/withdrawal", """
                {"tranche": "senior"}""", "investor", 409);
        // the variation drops investor3, admitted above, so it awaits investor3's consent still; a party whose consent
        // it needs (or the arranger) may decline it, for itself, which ends it; no one else can
        assertThat(node.api("arranger").get(B + "/amendments").json().at("/open/awaiting"))
                .extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactly("investor3");
        String decline = B + "/amendments/" + ids.get("proposal") + "/decline";
        refusedToAllBut(Set.of("arranger", "payer", "investor"), "POST", decline,
                user -> node.api(user).post(decline, "{\"reason\": \"not mine to decline\"}"));
        assertThat(node.api("payer").post(decline, "{\"reason\": \"changed our mind\"}").status()).isEqualTo(200);
        assertThat(node.api("arranger").get(B + "/amendments").json().has("open")).isFalse();
        checked.add("POST " + decline);

        get(() -> B + "/performance", PARTIES);
        get(() -> B + "/payouts", PARTIES);
        get(() -> B + "/history", PARTIES);
        get(() -> B + "/integrity", PARTIES);
        get(() -> B + "/checkpoints", PARTIES);
        get(() -> B + "/export", PARTIES);
        get(() -> "/api/ledger/public-key", Set.copyOf(USERS));
        get(() -> B + "/measurements", Set.of("arranger", "payer", "evaluator", "reviewer", "admin"));
        get(() -> B + "/measurements/" + ids.get("m1"), Set.of("arranger", "payer", "evaluator", "reviewer", "admin"));
        get(() -> B + "/liabilities", Set.of("arranger", "payer", "admin"));
        get(() -> "/api/investors/investor/portfolio", Set.of("investor", "admin"));
        get(() -> B + "/export/indigo", Set.of("arranger", "admin"));
        // reports people take away (issue 17): as the reads they are made of
        get(() -> "/api/investors/investor/statement.csv", Set.of("investor", "admin"));
        get(() -> B + "/claim-pack.pdf", Set.of("arranger", "payer", "admin"));
        get(() -> B + "/history.csv", PARTIES);
        get(() -> "/api/admin/projections", Set.of("admin"));
        get(() -> "/api/admin/dead-letters", Set.of("admin"));

        post(B + "/maturity", "", "arranger");
        post(B + "/guarantee-call", """
                {"date": "%s"}""".formatted(TODAY), "arranger", 409);
        post(B + "/closing", "", "arranger", 409);
        // the operators' commands, on nothing to change (an unknown read model, no dead letters)
        post("/api/admin/projections/no-such-read-model/replay", "", "admin", 404);
        post("/api/admin/dead-letters/retry", "", "admin", 200);
        post("/api/admin/dead-letters/payouts/authz/retry", "", "admin", 200);
        post("/api/admin/dead-letters/payouts/letters/no-such-letter/skip", "{\"reason\": \"x\"}", "admin", 404);

        assertThat(checked).hasSize(48);
        // every operation of the OpenAPI document is a row, but the schemas anyone may read unauthenticated
        java.util.Set<String> rows = new java.util.TreeSet<>();
        for (String row : checked) {
            String[] methodAndPath = row.split(" ", 2);
            rows.add(methodAndPath[0] + " " + org.sibledger.api.support.OpenApiContract.normalise(
                    org.sibledger.api.support.OpenApiContract.get().templateOf(methodAndPath[0], methodAndPath[1])
                            .orElseThrow(() -> new AssertionError("not an operation of openapi.yaml: " + row))));
        }
        java.util.Set<String> operations = new java.util.TreeSet<>(org.sibledger.api.support.OpenApiContract.get().operations());
        operations.removeAll(Set.of("GET /api/schemas", "GET /api/schemas/{}"));
        assertThat(rows).isEqualTo(operations);
    }

    /**
     * A signed-in user who is no party of a bond cannot tell it from a bond that does not exist: every read and every
     * command its roles allow answers the same 404 problem for both (status, type, code, title and detail, the bond
     * id aside), and records nothing. A party acting in a role the bond does not give it is still told 403.
     */
    @Test
    void aNonPartyCannotTellABondExists() {
        String bond = "/api/bonds/hidden";
        Bonds.openWithCohort(node::api, "hidden", 5);
        Bonds.enrol(node::api, "hidden", List.of("p-1"));
        String measurement = node.api("evaluator").post(bond + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch", "claims": [{"participantRef": "p-1", "metric": "earns-768",
                 "achievedOn": "2019-06-01", "evidenceRef": "e"}]}""").json().get("measurementId").asText();
        assertThat(node.api("payer").post(bond + "/measurements/" + measurement + "/decision", """
                {"decision": "APPROVE", "reason": "ok"}""").status()).isEqualTo(200);
        String payout = node.api("payer").await(bond + "/payouts", r -> r.json().at("/items/0/payoutId").isTextual())
                .json().at("/items/0/payoutId").asText();
        String call = node.api("arranger").post(bond + "/capital-calls", """
                {"amount": "500.00", "dueDate": "%s"}""".formatted(TODAY)).json().get("callId").asText();

        // {user, method, path under the bond, body}: everything investor2's and payer2's roles let them try
        List<String[]> attempts = List.of(
                new String[] {"investor2", "GET", "", null},
                new String[] {"investor2", "GET", "/performance", null},
                new String[] {"investor2", "GET", "/performance?asOf=2019-12-31", null},
                new String[] {"investor2", "GET", "/payouts", null},
                new String[] {"investor2", "GET", "/history", null},
                new String[] {"investor2", "GET", "/integrity", null},
                new String[] {"payer2", "GET", "/measurements", null},
                new String[] {"payer2", "GET", "/measurements/" + measurement, null},
                new String[] {"payer2", "GET", "/liabilities", null},
                new String[] {"investor2", "POST", "/commitments", "{\"tranche\": \"senior\", \"amount\": \"1000.00\"}"},
                new String[] {"investor2", "POST", "/commitments/increase", "{\"tranche\": \"senior\", \"amount\": \"1.00\"}"},
                new String[] {"investor2", "POST", "/commitments/withdrawal", "{\"tranche\": \"senior\"}"},
                new String[] {"investor2", "POST", "/capital-calls/" + call + "/fundings", "{\"amount\": \"500.00\"}"},
                new String[] {"payer2", "POST", "/measurements/" + measurement + "/decision",
                        "{\"decision\": \"DISPUTE\", \"reason\": \"x\"}"},
                new String[] {"payer2", "POST", "/payouts/" + payout + "/settlement", ""});
        long before = events();
        for (String[] attempt : attempts) {
            Api.Response existing = call(attempt[0], attempt[1], bond + attempt[2], attempt[3]);
            Api.Response missing = call(attempt[0], attempt[1], "/api/bonds/no-such-bond" + attempt[2], attempt[3]);
            String what = attempt[0] + " " + attempt[1] + " " + attempt[2];
            assertThat(missing.status()).as(what + " on a bond that does not exist: " + missing).isEqualTo(404);
            assertThat(existing.status()).as(what + " on a bond it is no party of: " + existing).isEqualTo(404);
            assertThat(existing.contentType()).as(what).isEqualTo(missing.contentType());
            assertThat(existing.json().get("code").asText()).as(what).isEqualTo("unknown-bond");
            assertThat(existing.body().replace("hidden", "BOND")).as(what)
                    .isEqualTo(missing.body().replace("no-such-bond", "BOND"));
        }
        assertThat(events()).as("events after the non-parties' attempts").isEqualTo(before);

        // a party acting in a role the bond does not give it is told so
        Api.Response wrongRole = node.api("investor").post(bond + "/measurements/" + measurement + "/decision", """
                {"decision": "APPROVE"}""");
        assertThat(wrongRole.status()).as(wrongRole.toString()).isEqualTo(403);
        Api.Response forAnother = node.api("investor").post(bond + "/commitments", """
                {"investorId": "investor2", "tranche": "senior", "amount": "1000.00"}""");
        assertThat(forAnother.status()).as(forAnother.toString()).isEqualTo(403);
        assertThat(forAnother.json().get("code").asText()).isEqualTo("not-that-investor");
        assertThat(events()).isEqualTo(before);
        // and the parties themselves still act: the attempts were refused for who made them, not for the bond's state
        assertThat(node.api("payer").post(bond + "/payouts/" + payout + "/settlement", "").status()).isEqualTo(200);
    }

    private static Api.Response call(String user, String method, String path, String body) {
        return method.equals("GET") ? node.api(user).get(path) : node.api(user).post(path, body);
    }

    private String submit(String participant) {
        return post(B + "/measurements", """
                {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch", "claims": [{"participantRef": "%s", "metric": "earns-768",
                 "achievedOn": "2019-06-01", "evidenceRef": "e"}]}""".formatted(participant), "evaluator").json()
                .get("measurementId").asText();
    }

    private Api.Response post(String path, String body, String allowed) {
        return post(() -> path, body, Set.of(allowed));
    }

    /** A row whose allowed call is refused by the bond's state (not by role): it must be that refusal, not 401/403/404. */
    private Api.Response post(String path, String body, String allowed, int expected) {
        refusedToAllBut(Set.of(allowed), "POST", path, user -> node.api(user).post(path, body));
        Api.Response answer = node.api(allowed).post(path, body);
        assertThat(answer.status()).as(allowed + " POST " + path + " -> " + answer).isEqualTo(expected);
        checked.add("POST " + path);
        return answer;
    }

    private Api.Response post(Supplier<String> path, String body, Set<String> allowed) {
        return post(path, user -> body, allowed);
    }

    /** Each allowed user posts its own body (two may create different things on the same path). */
    private Api.Response post(Supplier<String> path, java.util.function.Function<String, String> bodyFor, Set<String> allowed) {
        String resolved = path.get();
        String someBody = bodyFor.apply(allowed.iterator().next());
        refusedToAllBut(allowed, "POST", resolved, user -> node.api(user).post(resolved, someBody));
        Api.Response last = null;
        for (String user : allowed) {
            last = node.api(user).post(resolved, bodyFor.apply(user));
            assertThat(last.status()).as(user + " POST " + resolved + " -> " + last).isBetween(200, 299);
        }
        checked.add("POST " + resolved);
        return last;
    }

    private void get(Supplier<String> path, Set<String> allowed) {
        String resolved = path.get();
        refusedToAllBut(allowed, "GET", resolved, user -> node.api(user).get(resolved));
        for (String user : allowed) {
            Api.Response answer = node.api(user).get(resolved);
            assertThat(answer.status()).as(user + " GET " + resolved + " -> " + answer).isEqualTo(200);
        }
        checked.add("GET " + resolved);
    }

    private void refusedToAllBut(Set<String> allowed, String method, String path,
                                 java.util.function.Function<String, Api.Response> call) {
        long before = events();
        for (String user : USERS) {
            if (allowed.contains(user)) {
                continue;
            }
            Api.Response answer = call.apply(user);
            assertThat(answer.status()).as(user + " " + method + " " + path + " -> " + answer).isIn(403, 404);
            assertThat(answer.contentType()).as(user + " " + method + " " + path).startsWith("application/problem+json");
        }
        assertThat(node.anonymous().get(path).status()).as("anonymous " + method + " " + path).isEqualTo(401);
        assertThat(events()).as("events after refused " + method + " " + path).isEqualTo(before);
    }

    private static long events() {
        return node.sql().queryForObject("SELECT count(*) FROM domainevententry", Long.class);
    }
}
