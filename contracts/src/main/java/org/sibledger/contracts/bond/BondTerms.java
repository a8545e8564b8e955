package org.sibledger.contracts.bond;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * The bond terms document of API.md: who the parties are, what is measured, how outcomes are paid for and how
 * investors are repaid. Validated against {@code schemas/bond-terms.schema.json} before it becomes a command.
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
        InvestorTerms investorTerms) {

    public BondTerms {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    public record Parties(
            String arranger,
            List<String> serviceProviders,
            List<OutcomePayer> outcomePayers,
            List<String> evaluators,
            List<String> investors) {

        public Parties {
            serviceProviders = serviceProviders == null ? List.of() : List.copyOf(serviceProviders);
            outcomePayers = outcomePayers == null ? List.of() : List.copyOf(outcomePayers);
            evaluators = evaluators == null ? List.of() : List.copyOf(evaluators);
            investors = investors == null ? List.of() : List.copyOf(investors);
        }
    }

    /** An outcome payer paying {@code share} of every payment, up to its own {@code cap} when it has one. */
    public record OutcomePayer(String id, BigDecimal share, BigDecimal cap) {
    }

    public record Metric(String id, String name, boolean repeatable) {
    }

    public record InvestorTerms(List<Tranche> tranches) {
        public InvestorTerms {
            tranches = tranches == null ? List.of() : List.copyOf(tranches);
        }
    }

    public record Tranche(String id, int rank, BigDecimal returnCapIrr) {
    }
}
