package org.sibledger.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.AmendmentConsentedEvent;
import org.sibledger.contracts.bond.AmendmentDeclinedEvent;
import org.sibledger.contracts.bond.AmendmentProposalView;
import org.sibledger.contracts.bond.AmendmentProposedEvent;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.BondClosedEvent;
import org.sibledger.contracts.bond.BondMaturedEvent;
import org.sibledger.contracts.bond.BondOpenedEvent;
import org.sibledger.contracts.bond.BondPage;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyAdmittedEvent;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.bond.TermsAmendedEvent;
import org.sibledger.contracts.cohort.CohortOpenedEvent;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.contracts.cohort.ParticipantsEnrolledEvent;
import org.sibledger.contracts.investment.CallAllocation;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.GuaranteeCalledEvent;
import org.sibledger.contracts.investment.GuaranteePaymentLine;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CapitalCallFundedEvent;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.CommitmentIncreasedEvent;
import org.sibledger.contracts.investment.CommitmentMadeEvent;
import org.sibledger.contracts.investment.CommitmentWithdrawnEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionLine;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.FundsDisbursedEvent;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.contracts.cohort.ListParticipantsQuery;
import org.sibledger.contracts.cohort.ParticipantList;
import org.sibledger.contracts.history.HistoryEntry;
import org.sibledger.contracts.stream.MeasurementMessage;
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
import org.sibledger.contracts.performance.FindPerformanceQuery;
import org.sibledger.contracts.performance.PerformanceView;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.DisputeResolvedEvent;
import org.sibledger.contracts.measurement.Measurement;
import org.sibledger.contracts.measurement.MeasurementApprovedEvent;
import org.sibledger.contracts.measurement.MeasurementDisputedEvent;
import org.sibledger.contracts.measurement.MeasurementRejectedEvent;
import org.sibledger.contracts.measurement.MeasurementSubmittedEvent;
import org.sibledger.contracts.measurement.MeasurementSupersededEvent;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.ListPayoutsQuery;
import org.sibledger.contracts.payout.PayoutCancelledEvent;
import org.sibledger.contracts.payout.PayoutPage;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.contracts.payout.PayoutSettledEvent;
import org.sibledger.contracts.payout.PayoutTriggeredEvent;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.FindBondQuery;
import org.sibledger.contracts.bond.ListBondsQuery;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.common.Money;
import org.sibledger.contracts.stream.LedgerEventEnvelope;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every contract record survives the JSON that the event store, REST and Kafka use: Axon's test fixtures never
 * serialize, so this is where a record Jackson cannot read back is caught. Decimals keep their scale and travel as
 * strings. A record added to contracts without a sample here fails {@link #everyContractRecordHasASample()}.
 */
class ContractsRoundTripTest {

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    static Map<Class<?>, List<Object>> samples() {
        BondTerms.Parties parties = new BondTerms.Parties("arranger", List.of("provider"),
                List.of(new BondTerms.OutcomePayer("dfe", new BigDecimal("0.80"), new BigDecimal("2250000.00")),
                        new BondTerms.OutcomePayer("lcf", new BigDecimal("0.20"), null)),
                List.of("evaluator"), List.of("investor", "investor2"));
        List<BondTerms.Metric> metrics = List.of(new BondTerms.Metric("earns-768", "Earns GBP 768", false),
                new BondTerms.Metric("sustained-work", "Sustained work", true));
        List<PaymentMechanism> mechanisms = List.of(
                new PaymentMechanism.RateCard(List.of(new PaymentMechanism.Price("earns-768", new BigDecimal("2750.00"),
                        new BigDecimal("313500.00"))), new BigDecimal("8200.00")),
                new PaymentMechanism.ThresholdVsComparison("earns-768", true, new BigDecimal("0.10"),
                        new BigDecimal("0.075"), new BigDecimal("1000.00"), new BigDecimal("100"), null),
                new PaymentMechanism.WeightedTargets(new BigDecimal("422000.00"), List.of(
                        new PaymentMechanism.Target("earns-768", new BigDecimal("5592"), new BigDecimal("0.8")),
                        new PaymentMechanism.Target("sustained-work", new BigDecimal("0.79"), new BigDecimal("0.2")))),
                new PaymentMechanism.SavingsShare(null, null, null, null, List.of(
                        new PaymentMechanism.SavingsTier(new BigDecimal("8000000"), BigDecimal.ONE),
                        new PaymentMechanism.SavingsTier(null, BigDecimal.ZERO)), new BigDecimal("8800000.00")),
                new PaymentMechanism.SavingsShare("earns-768", new BigDecimal("0.95"), new BigDecimal("0.40"),
                        new BigDecimal("0.05"), null, null),
                new PaymentMechanism.Graduated("earns-768", List.of(
                        new PaymentMechanism.GraduatedTier(new BigDecimal("0.10"), new BigDecimal("1700000.00")))));
        List<Object> terms = new ArrayList<>();
        for (PaymentMechanism mechanism : mechanisms) {
            terms.add(new BondTerms("reboot-west", "Reboot West", "GBP", new BigDecimal("2250000.00"),
                    LocalDate.parse("2018-10-01"), LocalDate.parse("2022-03-31"), parties, metrics, mechanism,
                    new BondTerms.InvestorTerms(List.of(new BondTerms.Tranche("senior", 1, new BigDecimal("0.15"))))));
        }
        BondTerms first = (BondTerms) terms.get(0);
        BondView view = new BondView("reboot-west", "Reboot West", "GBP", BondStatus.STRUCTURED, first,
                Instant.parse("2026-01-05T10:00:00Z"), "arranger", 0);
        Map<Class<?>, List<Object>> samples = new LinkedHashMap<>();
        samples.put(BondTerms.class, terms);
        samples.put(StructureBondCommand.class, List.of(new StructureBondCommand("reboot-west", first)));
        samples.put(BondStructuredEvent.class, List.of(new BondStructuredEvent("reboot-west", first)));
        samples.put(FindBondQuery.class, List.of(new FindBondQuery("reboot-west")));
        samples.put(ListBondsQuery.class, List.of(new ListBondsQuery("investor", 0, 50), new ListBondsQuery(null, 2, 10)));
        samples.put(BondView.class, List.of(view));
        samples.put(BondPage.class, List.of(new BondPage(List.of(view), 0, 50, 1)));
        samples.put(Money.class, List.of(Money.of("2750.00", "GBP"), Money.of("1000", "JPY")));
        samples.put(LedgerEventEnvelope.class, List.of(new LedgerEventEnvelope("e-1", "BondStructured", "1",
                "reboot-west", 0, Instant.parse("2026-01-05T10:00:00Z"), "arranger", null,
                JSON.valueToTree(new BondStructuredEvent("reboot-west", first)), "a".repeat(64), "0".repeat(64),
                BondStructuredEvent.class.getName(), "structure-reboot-west")));
        lifecycleSamples(samples, first);
        readModelSamples(samples);
        samples.put(CommandRefusedException.FieldViolation.class,
                List.of(new CommandRefusedException.FieldViolation("/currency", "not ISO 4217")));
        return samples;
    }

    /** One sample of every read-model query and answer. */
    private static void readModelSamples(Map<Class<?>, List<Object>> samples) {
        Instant at = Instant.parse("2026-01-05T10:00:00Z");
        Money gbp = Money.of("2750.00", "GBP");
        HistoryEntry entry = new HistoryEntry(0, "e-1", "BondStructured",
                "org.sibledger.contracts.bond.BondStructuredEvent", "1", at.toString(), "arranger", null, "k-1",
                "a".repeat(64), "0".repeat(64), JSON.createObjectNode().put("bondId", "reboot-west"));
        HistoryEntry redacted = new HistoryEntry(1, "e-2", "CommitmentMade",
                "org.sibledger.contracts.investment.CommitmentMadeEvent", "1", "2026-01-05T10:00:00.123456789Z", null, null, null,
                "b".repeat(64), "a".repeat(64), JSON.createObjectNode(), true);
        samples.put(HistoryEntry.class, List.of(entry, redacted));
        samples.put(HistoryPage.class, List.of(new HistoryPage("reboot-west", 0, List.of(entry), null),
                new HistoryPage("reboot-west", 0, List.of(entry), 1L)));
        samples.put(ListHistoryQuery.class, List.of(new ListHistoryQuery("reboot-west", 0, 100)));
        PerformanceView.Figures figures = new PerformanceView.Figures(new BigDecimal("7"), new BigDecimal("4"),
                BigDecimal.ONE, Money.of("10000.00", "GBP"), Money.of("1000.00", "GBP"), Money.of("5500.00", "GBP"));
        PerformanceView.MetricLine metricLine = new PerformanceView.MetricLine("earns-768", "c1", figures);
        PerformanceView.CapLine capLine = new PerformanceView.CapLine("CONTRACT", null, Money.of("10000.00", "GBP"),
                Money.of("10000.00", "GBP"), Money.of("0.00", "GBP"));
        PerformanceView.TargetLine targetLine = new PerformanceView.TargetLine("learning", null, "WEIGHTED_TARGET",
                new BigDecimal("5592"), new BigDecimal("8940"), new BigDecimal("1.598712446351931"));
        PerformanceView.MonthLine monthLine = new PerformanceView.MonthLine("2026-01", figures);
        samples.put(PerformanceView.Figures.class, List.of(figures));
        samples.put(PerformanceView.MetricLine.class, List.of(metricLine));
        samples.put(PerformanceView.CapLine.class, List.of(capLine));
        samples.put(PerformanceView.TargetLine.class, List.of(targetLine));
        samples.put(PerformanceView.MonthLine.class, List.of(monthLine));
        samples.put(PerformanceView.class, List.of(new PerformanceView("reboot-west", "GBP", LocalDate.parse("2026-01-31"),
                figures, List.of(metricLine), List.of(capLine), List.of(targetLine), List.of(monthLine))));
        samples.put(FindPerformanceQuery.class, List.of(new FindPerformanceQuery("reboot-west", null),
                new FindPerformanceQuery("reboot-west", LocalDate.parse("2026-01-31"))));
        LiabilitiesView.PayerLiability liability = new LiabilitiesView.PayerLiability("dfe", new BigDecimal("0.8"), gbp,
                Money.of("0.00", "GBP"), gbp, Money.of("2250000.00", "GBP"), Money.of("2244500.00", "GBP"));
        samples.put(LiabilitiesView.PayerLiability.class, List.of(liability));
        samples.put(LiabilitiesView.class, List.of(new LiabilitiesView("reboot-west", "GBP", List.of(liability), null,
                Money.of("5500.00", "GBP"), null)));
        samples.put(FindLiabilitiesQuery.class, List.of(new FindLiabilitiesQuery("reboot-west", "dfe")));
        samples.put(FindPortfolioQuery.class, List.of(new FindPortfolioQuery("investor")));
        PortfolioRecord.CashFlow flow = new PortfolioRecord.CashFlow(LocalDate.parse("2019-01-31"), new BigDecimal("-15000"));
        PortfolioRecord.Position position = new PortfolioRecord.Position("reboot-west", "Reboot West", "GBP", "senior",
                new BigDecimal("30000"), new BigDecimal("15000"), new BigDecimal("15000"), new BigDecimal("4125"),
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, List.of(flow));
        samples.put(PortfolioRecord.CashFlow.class, List.of(flow));
        samples.put(PortfolioRecord.Position.class, List.of(position));
        samples.put(PortfolioRecord.class, List.of(new PortfolioRecord("investor", List.of(position))));
        MeasurementView measurement = new MeasurementView("reboot-west", "m-1", "evaluator", "TARGET_RESULT", "learning",
                null, null, 1, List.of("report-1"), new Measurement.TargetResult("learning", new BigDecimal("8940")),
                null, null, "APPROVED", "dfe", "checked", at, at, gbp, Money.of("0.00", "GBP"));
        samples.put(MeasurementView.class, List.of(measurement));
        samples.put(MeasurementPage.class, List.of(new MeasurementPage(List.of(measurement), 0, 50, 1)));
        samples.put(ListMeasurementsQuery.class, List.of(new ListMeasurementsQuery("reboot-west", "SUBMITTED", null, 0, 50)));
        samples.put(FindMeasurementQuery.class, List.of(new FindMeasurementQuery("reboot-west", "m-1")));
        samples.put(ListParticipantsQuery.class, List.of(new ListParticipantsQuery("reboot-west")));
        samples.put(ParticipantList.class, List.of(new ParticipantList("reboot-west", Map.of("p-1", "c1", "p-2", "c1"))));
        samples.put(MeasurementMessage.class, List.of(new MeasurementMessage("k-1", "evaluator", "reboot-west",
                JSON.createObjectNode().put("type", "SAVINGS").put("amount", "1000.00").put("period", "2026-Q1"))));
    }

    /** One sample of every lifecycle command and event (DOMAIN.md, "Life of a bond"). */
    private static void lifecycleSamples(Map<Class<?>, List<Object>> samples, BondTerms terms) {
        BigDecimal amount = new BigDecimal("250000.00");
        LocalDate day = LocalDate.parse("2019-04-01");
        Measurement claims = new Measurement.OutcomeClaims(List.of(
                new Measurement.OutcomeClaim("p-0001", "earns-768", day, "ev-17")));
        List<Object> all = List.of(
                new AdmitPartyCommand("b", PartyRole.INVESTOR, "investor3"),
                new PartyAdmittedEvent("b", PartyRole.EVALUATOR, "validator"),
                new ProposeAmendmentCommand("b", "amendment-1", terms, "COVID-19 variation", day),
                new AmendmentProposedEvent("b", "amendment-1", terms, terms, "COVID-19 variation", day, List.of("dfe", "investor")),
                new ConsentToAmendmentCommand("b", "amendment-1"),
                new AmendmentConsentedEvent("b", "amendment-1", "dfe"),
                new DeclineAmendmentCommand("b", "amendment-1", "too costly"),
                new AmendmentDeclinedEvent("b", "amendment-1", "investor", "too costly"),
                new AmendmentProposalView("b", "amendment-1", terms, terms, "COVID-19 variation", day,
                        List.of("dfe", "investor"), List.of("dfe"), List.of("investor")),
                new TermsAmendedEvent("b", terms, terms, "COVID-19 variation", day, List.of("dfe")),
                new OpenBondCommand("b"), new BondOpenedEvent("b", amount),
                new MatureBondCommand("b"), new BondMaturedEvent("b"),
                new CloseBondCommand("b"), new BondClosedEvent("b"),
                new MakeCommitmentCommand("b", "investor", "senior", amount),
                new CommitmentMadeEvent("b", "investor", "senior", amount),
                new IncreaseCommitmentCommand("b", "investor", "senior", amount),
                new CommitmentIncreasedEvent("b", "investor", "senior", amount, amount.add(amount)),
                new WithdrawCommitmentCommand("b", "investor", "senior"),
                new CommitmentWithdrawnEvent("b", "investor", "senior", amount),
                new CallCapitalCommand("b", "call-1", amount, day),
                new CapitalCalledEvent("b", "call-1", amount, day, List.of(new CallAllocation("investor", "senior", amount))),
                new FundCapitalCallCommand("b", "call-1", "investor", amount),
                new CapitalCallFundedEvent("b", "call-1", "investor", "senior", amount, day),
                new DisburseFundsCommand("b", "d-1", "provider", amount),
                new FundsDisbursedEvent("b", "d-1", "provider", amount),
                new DistributeCommand("b", "dist-1", amount, day),
                new DistributionMadeEvent("b", "dist-1", amount, day, List.of(new DistributionLine("investor", "senior",
                        new BigDecimal("200000.00"), new BigDecimal("50000.00"), "senior principal, then return")),
                        BigDecimal.ZERO, "OUTCOME_PAYERS"),
                new CallGuaranteeCommand("b", day),
                new GuaranteeCalledEvent("b", day, List.of(new GuaranteePaymentLine("bloomberg", "guarantee", "investor",
                        "senior", new BigDecimal("7200000.00"), "guarantee of 75% of senior principal")),
                        new BigDecimal("9600000.00"), new BigDecimal("2400000.00")),
                new OpenCohortCommand("b", "cohort-1", "First cohort", 1000, day),
                new CohortOpenedEvent("b", "cohort-1", "First cohort", 1000, day),
                new EnrolParticipantsCommand("b", "cohort-1", List.of("p-0001", "p-0002")),
                new ParticipantsEnrolledEvent("b", "cohort-1", List.of("p-0001")),
                new SubmitMeasurementCommand("b", "m-1", claims, "ev-17", null),
                new SubmitMeasurementCommand("b", "m-2", new Measurement.CohortResult("cohort-1", "reconviction",
                        "2010-2012", new BigDecimal("142"), new BigDecimal("155")), "ev-18", "m-1"),
                new MeasurementSubmittedEvent("b", "m-3", "evaluator", new Measurement.TargetResult("learning",
                        new BigDecimal("8940")), "ev-19", null),
                new MeasurementSubmittedEvent("b", "m-4", "evaluator", new Measurement.Savings(amount, "2019"), "ev-20", null),
                new MeasurementSupersededEvent("b", "m-1", "m-2"),
                new DecideOnMeasurementCommand("b", "m-1", Decision.APPROVE, null),
                new MeasurementApprovedEvent("b", "m-1", "dfe", null),
                new MeasurementRejectedEvent("b", "m-1", "dfe", "evidence missing"),
                new MeasurementDisputedEvent("b", "m-1", "dfe", "comparison group differs"),
                new ResolveDisputeCommand("b", "m-1", DisputeResolution.UPHOLD, "checked"),
                new DisputeResolvedEvent("b", "m-1", "dfe", DisputeResolution.REJECT, "wrong cohort"),
                new PayoutTriggeredEvent("b", "po-1", "m-1", "dfe", "earns-768", null, "p-0001",
                        new BigDecimal("2750.00"), new BigDecimal("2000.00"), new BigDecimal("750.00"), "rate card"),
                new PayoutCancelledEvent("b", "po-1", "dispute upheld against the measurement"),
                new ListPayoutsQuery("b", 0, 50),
                new ListPayoutsQuery("b", 0, 50, "dfe"),
                new PayoutPage.Totals(Money.of("2750.00", "GBP"), Money.of("0.00", "GBP"), Money.of("750.00", "GBP"), 2),
                new PayoutPage(List.of(), 0, 50, 0, new PayoutPage.Totals(Money.of("2750.00", "GBP"),
                        Money.of("2000.00", "GBP"), Money.of("750.00", "GBP"), 2)),
                new PayoutPage(List.of(new PayoutView("po-1", "b", "m-1", "dfe", "earns-768", null, "p-0001",
                        Money.of("2750.00", "GBP"), Money.of("2000.00", "GBP"), Money.of("750.00", "GBP"), "rate card",
                        "SETTLED", Instant.parse("2026-01-05T10:00:00Z"), Instant.parse("2026-02-05T10:00:00Z"))), 0, 50, 1),
                new SettlePayoutCommand("b", "po-1"),
                new PayoutSettledEvent("b", "po-1", "dfe", new BigDecimal("2000.00")));
        for (Object sample : all) {
            samples.computeIfAbsent(sample.getClass(), k -> new ArrayList<>()).add(sample);
        }
    }

    @Test
    void everySampleRoundTripsToAnEqualRecord() throws Exception {
        for (Map.Entry<Class<?>, List<Object>> entry : samples().entrySet()) {
            for (Object sample : entry.getValue()) {
                String json = JSON.writeValueAsString(sample);
                Object back = JSON.readValue(json, entry.getKey());
                assertThat(back).as(json).isEqualTo(sample);
                assertThat(JSON.writeValueAsString(back)).isEqualTo(json);
            }
        }
    }

    @Test
    void decimalsTravelAsStringsWithTheirScale() throws Exception {
        JsonNode money = JSON.valueToTree(Money.of("2750.00", "GBP"));
        assertThat(money.get("amount").isTextual()).isTrue();
        assertThat(money.get("amount").asText()).isEqualTo("2750.00");
        JsonNode terms = JSON.valueToTree(samples().get(BondTerms.class).get(0));
        assertThat(terms.at("/paymentMechanism/type").asText()).isEqualTo("RATE_CARD");
        assertThat(terms.at("/paymentMechanism/prices/0/price").asText()).isEqualTo("2750.00");
        assertThat(terms.at("/serviceStart").asText()).isEqualTo("2018-10-01");
    }

    @Test
    void everyContractRecordHasASample() throws URISyntaxException, java.io.IOException {
        Path classes = Path.of(BondTerms.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> records = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replace(".class", "");
                Class<?> type = Class.forName(name.replace('$', '$'));
                if (type.isRecord()) {
                    records.add(type);
                }
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        Map<Class<?>, List<Object>> samples = samples();
        List<Class<?>> covered = new ArrayList<>(samples.keySet());
        // nested records are covered through the samples of the records that hold them
        samples.values().forEach(list -> list.forEach(sample -> collectNested(sample, covered)));
        assertThat(records).isNotEmpty();
        assertThat(covered).containsAll(records);
    }

    private static void collectNested(Object value, List<Class<?>> covered) {
        if (value == null) {
            return;
        }
        if (value instanceof Iterable<?> iterable) {
            iterable.forEach(v -> collectNested(v, covered));
            return;
        }
        Class<?> type = value.getClass();
        if (!type.isRecord()) {
            return;
        }
        if (!covered.contains(type)) {
            covered.add(type);
        }
        for (var component : type.getRecordComponents()) {
            try {
                collectNested(component.getAccessor().invoke(value), covered);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
