package org.sibledger.contracts.bond;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The bond terms document of API.md: who the parties are, what is measured, how outcomes are paid for and how
 * investors are repaid, and the window in which outcomes count ({@code serviceStart} to {@link #outcomesUntil()}). Validated against {@code schemas/bond-terms.schema.json} before it becomes a command.
 */
public record BondTerms(
        String bondId,
        String name,
        String currency,
        BigDecimal contractCap,
        LocalDate serviceStart,
        LocalDate serviceEnd,
        Parties parties,
        List<Metric> metrics,
        PaymentMechanism paymentMechanism,
        InvestorTerms investorTerms,
        LocalDate outcomesEnd) {

    public BondTerms {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /** Terms whose outcome window ends with the service ({@code outcomesEnd} absent). */
    public BondTerms(String bondId, String name, String currency, BigDecimal contractCap, LocalDate serviceStart,
                     LocalDate serviceEnd, Parties parties, List<Metric> metrics, PaymentMechanism paymentMechanism,
                     InvestorTerms investorTerms) {
        this(bondId, name, currency, contractCap, serviceStart, serviceEnd, parties, metrics, paymentMechanism,
                investorTerms, null);
    }

    /**
     * The last day on which an outcome counts: {@code outcomesEnd} when the contract has a tracking tail past the
     * service, else the service end. Outcomes count from the service start to this day, never in the future.
     */
    public LocalDate outcomesUntil() {
        return outcomesEnd != null ? outcomesEnd : serviceEnd;
    }

    public record Parties(
            String arranger,
            List<String> serviceProviders,
            List<OutcomePayer> outcomePayers,
            List<String> evaluators,
            List<String> investors,
            List<String> reviewers) {

        public Parties {
            serviceProviders = serviceProviders == null ? List.of() : List.copyOf(serviceProviders);
            outcomePayers = outcomePayers == null ? List.of() : List.copyOf(outcomePayers);
            evaluators = evaluators == null ? List.of() : List.copyOf(evaluators);
            investors = investors == null ? List.of() : List.copyOf(investors);
            reviewers = reviewers == null ? List.of() : List.copyOf(reviewers);
        }

        /** Parties without an independent reviewer (disputes wait until a variation names one). */
        public Parties(String arranger, List<String> serviceProviders, List<OutcomePayer> outcomePayers,
                       List<String> evaluators, List<String> investors) {
            this(arranger, serviceProviders, outcomePayers, evaluators, investors, null);
        }
    }

    /**
     * An outcome payer paying {@code share} of every payment, up to its own {@code cap} when it has one. Each payer
     * decides on measurements for its own share; a payer marked {@code lead} decides for all of them instead (a
     * delegation the terms make visible), and then no other payer decides.
     */
    public record OutcomePayer(String id, BigDecimal share, BigDecimal cap, Boolean lead) {
        public OutcomePayer(String id, BigDecimal share, BigDecimal cap) {
            this(id, share, cap, null);
        }

        public boolean leads() {
            return Boolean.TRUE.equals(lead);
        }
    }

    /** The payer whose decisions bind all payers, if the terms name one. */
    public java.util.Optional<String> leadPayer() {
        return parties == null ? java.util.Optional.empty() : parties.outcomePayers().stream()
                .filter(OutcomePayer::leads).map(OutcomePayer::id).findFirst();
    }

    public record Metric(String id, String name, boolean repeatable) {
    }

    /**
     * How investors are repaid: the tranches in waterfall order, where money above the return caps goes (refunded to
     * the outcome payers unless the terms say otherwise), and whether commitments may still be made once the bond
     * is open.
     */
    public record InvestorTerms(List<Tranche> tranches, ExcessTo excessTo, boolean allowCommitmentsAfterOpening) {

        /** Where a distribution's money above every tranche's return cap goes. */
        public enum ExcessTo { OUTCOME_PAYERS, SERVICE_PROVIDER, INVESTORS_PRO_RATA }

        public InvestorTerms {
            tranches = tranches == null ? List.of() : List.copyOf(tranches);
            excessTo = excessTo == null ? ExcessTo.OUTCOME_PAYERS : excessTo;
        }

        /** Terms written before excess and late commitments were configurable keep their meaning. */
        public InvestorTerms(List<Tranche> tranches) {
            this(tranches, null, false);
        }
    }

    /**
     * A tranche of investment, repaid by rank (1 first; equal ranks pari passu). A {@code GUARANTEE} tranche funds
     * nothing up front: it covers {@code guaranteedShareOfPrincipal} of the principal of {@code guaranteedTranches}
     * (all other tranches when empty) that outcome payments have not repaid at maturity, as in Rikers.
     */
    public record Tranche(String id, int rank, BigDecimal returnCapIrr, Kind kind,
                          BigDecimal guaranteedShareOfPrincipal, List<String> guaranteedTranches) {

        public enum Kind { SENIOR, SUBORDINATE, FIRST_LOSS, GUARANTEE }

        public Tranche {
            kind = kind == null ? (rank <= 1 ? Kind.SENIOR : Kind.SUBORDINATE) : kind;
            guaranteedTranches = guaranteedTranches == null ? List.of() : List.copyOf(guaranteedTranches);
        }

        /** An ordinary tranche whose kind follows from its rank: 1 is senior, any later rank subordinate. */
        public Tranche(String id, int rank, BigDecimal returnCapIrr) {
            this(id, rank, returnCapIrr, null, null, null);
        }
    }
}
