package org.sibledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.sibledger.api.command.BondReader;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.common.Money;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;

/**
 * What the lifecycle forms on a bond's page need, for the one who may use them: the bond's arranger (every step the
 * API gives the arranger) and its service providers (enrolment, which the bond keeps theirs). For anyone else there is
 * no panel, so the page shows no controls; {@link ArrangerPages} refuses their posts in any case. Used by the bond
 * page's template as {@code @arrangerPanel.of(bond, #authentication)}.
 */
@Component("arrangerPanel")
public class ArrangerPanel {

    private static final ObjectMapper JSON = ContractsJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final BondReader reader;

    public ArrangerPanel(BondReader reader) {
        this.reader = reader;
    }

    /**
     * The forms' data. {@code arranger} and {@code provider} say whose controls show; each {@code may...} says whether
     * the bond's status lets that step be taken now, so only the steps that can be taken are offered.
     */
    public record Panel(boolean arranger, boolean provider, BondStatus status, List<String> cohortIds, Money cashHeld,
                        boolean proposalOpen, String proposalId, String termsJson, List<String> providers,
                        List<String> roles, boolean hasGuarantee) {

        private boolean ended() {
            return status == BondStatus.MATURED || status == BondStatus.CLOSED;
        }

        public boolean mayAdmit() {
            return arranger && !ended() && !proposalOpen;
        }

        public boolean mayAmend() {
            return arranger && !ended() && !proposalOpen;
        }

        public boolean mayWithdrawProposal() {
            return arranger && proposalOpen;
        }

        public boolean mayOpen() {
            return arranger && status == BondStatus.STRUCTURED;
        }

        public boolean mayOpenCohort() {
            return arranger && !ended();
        }

        public boolean mayEnrol() {
            return provider && !ended() && !cohortIds.isEmpty();
        }

        public boolean mayCallCapital() {
            return arranger && status == BondStatus.OPEN;
        }

        public boolean mayDisburse() {
            return arranger && status != BondStatus.CLOSED && status != BondStatus.STRUCTURED;
        }

        public boolean mayDistribute() {
            return arranger && (status == BondStatus.OPEN || status == BondStatus.MATURED);
        }

        public boolean mayMature() {
            return arranger && status == BondStatus.OPEN;
        }

        public boolean mayCallGuarantee() {
            return arranger && status == BondStatus.MATURED && hasGuarantee;
        }

        public boolean mayClose() {
            return arranger && status == BondStatus.MATURED;
        }

        /**
         * Whether the page offers the step's form now: a step refused from a page that offered it when it was read
         * (the bond moved on meanwhile) has no form to show its refusal at, so the page says it above the forms.
         */
        public boolean offers(String action) {
            return switch (action == null ? "" : action) {
                case "open" -> mayOpen();
                case "party" -> mayAdmit();
                case "amend" -> mayAmend();
                case "withdraw" -> mayWithdrawProposal();
                case "cohort" -> mayOpenCohort();
                case "enrol" -> mayEnrol();
                case "call" -> mayCallCapital();
                case "disburse" -> mayDisburse();
                case "distribute" -> mayDistribute();
                case "mature" -> mayMature();
                case "guarantee" -> mayCallGuarantee();
                case "close" -> mayClose();
                default -> false;
            };
        }
    }

    /** The panel of the bond for the principal, or null when the principal takes no step on it from its page. */
    public Panel of(BondView bond, Authentication principal) {
        if (bond == null || principal == null) {
            return null;
        }
        BondTerms terms = bond.terms();
        boolean arranger = isArranger(bond, principal);
        boolean provider = terms.parties().serviceProviders().contains(principal.getName());
        if (!arranger && !provider) {
            return null;
        }
        Snapshot snapshot = reader.read(bond.bondId(), b -> new Snapshot(b.cohortIds(), b.cashHeld(),
                b.openProposal().map(p -> p.proposalId()).orElse(null)));
        boolean guarantee = terms.investorTerms() != null && terms.investorTerms().tranches().stream()
                .anyMatch(t -> t.kind() == BondTerms.Tranche.Kind.GUARANTEE);
        return new Panel(arranger, provider, bond.status(), snapshot.cohortIds(),
                new Money(snapshot.cash(), bond.currency()), snapshot.proposalId() != null, snapshot.proposalId(),
                arranger ? termsJson(terms) : null, terms.parties().serviceProviders(),
                Arrays.stream(PartyRole.values()).map(Enum::name).toList(), guarantee);
    }

    private record Snapshot(List<String> cohortIds, java.math.BigDecimal cash, String proposalId) {
    }

    /** Only the arranger the bond's terms name: not another arranger, not an admin. */
    static boolean isArranger(BondView bond, Authentication principal) {
        return principal.getName().equals(bond.terms().parties().arranger());
    }

    /** The terms in force as a terms document, for the arranger to edit into a proposal. */
    static String termsJson(BondTerms terms) {
        try {
            return JSON.writeValueAsString(terms);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
