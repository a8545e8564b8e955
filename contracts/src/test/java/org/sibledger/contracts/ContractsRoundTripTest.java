package org.sibledger.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondPage;
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
                JSON.valueToTree(new BondStructuredEvent("reboot-west", first)), "a".repeat(64), "0".repeat(64))));
        samples.put(CommandRefusedException.FieldViolation.class,
                List.of(new CommandRefusedException.FieldViolation("/currency", "not ISO 4217")));
        return samples;
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
