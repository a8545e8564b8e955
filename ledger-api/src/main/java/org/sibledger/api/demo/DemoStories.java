package org.sibledger.api.demo;

import org.sibledger.api.command.LedgerCommands;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A few months in the life of each demo bond, so the embedded default shows commitments, cohorts, measurements
 * waiting for a decision and payouts. Every command carries a fixed idempotency key, so loading the demo again
 * records nothing new.
 */
final class DemoStories {

    private final LedgerCommands commands;

    DemoStories(LedgerCommands commands) {
        this.commands = commands;
    }

    void tell(BondTerms terms) {
        String bond = terms.bondId();
        String payer = terms.parties().outcomePayers().get(0).id();
        String tranche = terms.investorTerms().tranches().get(0).id();
        BigDecimal capital = terms.contractCap() != null ? terms.contractCap().divide(BigDecimal.valueOf(2))
                : new BigDecimal("1000000");
        List<String> investors = terms.parties().investors();
        for (String investor : investors) {
            send(investor, new MakeCommitmentCommand(bond, investor, tranche,
                    capital.divide(BigDecimal.valueOf(investors.size()), 0, RoundingMode.DOWN)), bond + "-commit-" + investor);
        }
        send("arranger", new OpenBondCommand(bond), bond + "-open");
        BigDecimal call = capital.divide(BigDecimal.valueOf(5), 0, RoundingMode.DOWN);
        send("arranger", new CallCapitalCommand(bond, "call-1", call, terms.serviceStart().plusMonths(1)), bond + "-call-1");
        for (String investor : investors) {
            send(investor, new FundCapitalCallCommand(bond, "call-1", investor,
                    call.divide(BigDecimal.valueOf(investors.size()), 0, RoundingMode.DOWN)), bond + "-fund-" + investor);
        }
        int size = 40;
        send("provider", new OpenCohortCommand(bond, "cohort-1", "First cohort", size, terms.serviceStart()), bond + "-cohort-1");
        List<String> refs = IntStream.rangeClosed(1, 12).mapToObj(i -> bond.substring(0, 3) + "-p" + i).toList();
        send("provider", new EnrolParticipantsCommand(bond, "cohort-1", refs), bond + "-enrol-1");
        if (terms.paymentMechanism() instanceof PaymentMechanism.RateCard rateCard) {
            String metric = rateCard.prices().get(0).metric();
            LocalDate on = terms.serviceStart().plusMonths(4);
            submit(bond, payer, "m-1", new Measurement.OutcomeClaims(refs.subList(0, 5).stream()
                    .map(ref -> new Measurement.OutcomeClaim(ref, metric, on, "case-file-" + ref)).toList()), true);
            submit(bond, payer, "m-2", new Measurement.OutcomeClaims(refs.subList(5, 8).stream()
                    .map(ref -> new Measurement.OutcomeClaim(ref, metric, on.plusMonths(1), "case-file-" + ref)).toList()), false);
        } else if (terms.paymentMechanism() instanceof PaymentMechanism.ThresholdVsComparison threshold) {
            boolean lower = threshold.lowerIsBetter();
            submit(bond, payer, "m-1", new Measurement.CohortResult("cohort-1", threshold.metric(), "year 1",
                    lower ? new BigDecimal("142") : new BigDecimal("0.46"),
                    lower ? new BigDecimal("155") : new BigDecimal("0.38")), true);
        } else if (terms.paymentMechanism() instanceof PaymentMechanism.WeightedTargets targets) {
            List<Measurement.TargetResult> results = new ArrayList<>();
            targets.targets().forEach(t -> results.add(new Measurement.TargetResult(t.metric(), t.target())));
            for (int i = 0; i < results.size(); i++) {
                submit(bond, payer, "m-" + (i + 1), results.get(i), i == 0);
            }
        } else if (terms.paymentMechanism() instanceof PaymentMechanism.Graduated graduated) {
            submit(bond, payer, "m-1", new Measurement.TargetResult(graduated.metric(), new BigDecimal("0.24")), false);
        }
    }

    private void submit(String bond, String payer, String measurementId, Measurement measurement, boolean approve) {
        send("evaluator", new SubmitMeasurementCommand(bond, measurementId, measurement, "evaluation-report-" + measurementId,
                null), bond + "-submit-" + measurementId);
        if (approve) {
            send(payer, new DecideOnMeasurementCommand(bond, measurementId, Decision.APPROVE, "verified against the evidence"),
                    bond + "-approve-" + measurementId);
        }
    }

    private void send(String actor, Object command, String key) {
        commands.send(command, actor, "demo-" + key);
    }
}
