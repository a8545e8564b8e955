package org.sibledger.api.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.investment.PortfolioRecord;
import org.sibledger.contracts.payout.PayoutView;
import org.sibledger.contracts.performance.PerformanceView;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A bond as a project document of GO Lab's INDIGO data standard, in the envelope its database uses
 * ({@code {"project": {"id", "data"}}}): outcome metrics and their pricing, the outcome payers' commitments and
 * payments (Actual when settled, Planned when approved and due), the investments, and the results per metric.
 * INDIGO wraps every value as {@code {"value": ...}}, gives money as sibling currency and amount values, and takes
 * amounts as JSON numbers; they are written from the exact decimals, never through floating point. Organisations are
 * named by the ledger's party ids, since the ledger does not know their INDIGO-ORG ids. Every part cites one source:
 * this export.
 */
public final class IndigoExport {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final String SOURCE = "source1";

    private IndigoExport() {
    }

    public static ObjectNode of(BondView bond, List<PayoutView> payouts, PerformanceView performance,
                                List<PortfolioRecord> portfolios, LocalDate exportedOn) {
        BondTerms terms = bond.terms();
        String currency = terms.currency();
        boolean finished = bond.status() == BondStatus.MATURED || bond.status() == BondStatus.CLOSED;
        ObjectNode data = NODES.objectNode();
        data.put("status", "PRIVATE");
        data.set("name", value(terms.name()));
        ObjectNode stage = value(stageOf(bond.status()));
        stage.put("source_ids", SOURCE);
        data.set("stage_development", stage);

        ObjectNode dates = NODES.objectNode();
        dates.set("start_date_of_service_provision", value(String.valueOf(terms.serviceStart())));
        dates.set("anticipated_end_date_of_service_provision", value(String.valueOf(terms.serviceEnd())));
        dates.put("source_ids", SOURCE);
        data.set("dates", dates);

        BigDecimal settled = sum(payouts, "SETTLED", null, null);
        BigDecimal committed = portfolios.stream().flatMap(p -> p.positions().stream())
                .filter(p -> p.bondId().equals(bond.bondId())).map(PortfolioRecord.Position::committed)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        ObjectNode finance = NODES.objectNode();
        if (terms.contractCap() != null) {
            finance.set("maximum_potential_outcome_payment_v2", money(currency, terms.contractCap()));
        }
        ObjectNode investment = NODES.objectNode();
        investment.set("currency", value(currency));
        investment.set("amount", NODES.objectNode().set("exact", value(committed)));
        finance.set("total_investment_commitment", investment);
        finance.set("total_outcome_payments_made", money(currency, settled));
        finance.put("source_ids", SOURCE);
        data.set("overall_project_finance", finance);

        ObjectNode source = NODES.objectNode();
        source.put("id", SOURCE);
        source.set("name", value("SIB outcomes ledger: bond " + bond.bondId() + ", exported " + exportedOn));
        source.set("type", value("Report"));
        source.set("publication_date", value(exportedOn.toString()));
        data.set("sources", NODES.arrayNode().add(source));

        ArrayNode metrics = NODES.arrayNode();
        for (BondTerms.Metric metric : terms.metrics()) {
            ObjectNode row = NODES.objectNode();
            row.put("id", metric.id());
            row.set("definition", value(metric.name()));
            targetOf(terms.paymentMechanism(), metric.id()).ifPresent(t -> row.set("outcome_metric_target", value(t)));
            row.put("source_ids", SOURCE);
            metrics.add(row);
        }
        data.set("outcome_metrics", metrics);
        data.set("outcome_pricings", pricings(terms.paymentMechanism(), currency));

        ArrayNode commitments = NODES.arrayNode();
        for (BondTerms.OutcomePayer payer : terms.parties().outcomePayers()) {
            ObjectNode row = NODES.objectNode();
            row.set("organisation_id", value(payer.id()));
            if (payer.cap() != null) {
                row.set("maximum_potential_outcome_payment", money(currency, payer.cap()));
            }
            row.set("total_outcome_payments", money(currency, sum(payouts, "SETTLED", payer.id(), null)));
            row.put("source_ids", SOURCE);
            commitments.add(row);
        }
        data.set("outcome_payment_commitments", commitments);

        Map<String, BigDecimal> caps = terms.investorTerms() == null ? Map.of() : terms.investorTerms().tranches().stream()
                .filter(t -> t.returnCapIrr() != null)
                .collect(Collectors.toMap(BondTerms.Tranche::id, BondTerms.Tranche::returnCapIrr));
        ArrayNode investments = NODES.arrayNode();
        for (PortfolioRecord portfolio : portfolios) {
            for (PortfolioRecord.Position position : portfolio.positions()) {
                if (!position.bondId().equals(bond.bondId())) {
                    continue;
                }
                ObjectNode row = NODES.objectNode();
                row.put("id", portfolio.investorId() + "-" + position.tranche());
                row.set("organisation_id", value(portfolio.investorId()));
                ObjectNode amount = NODES.objectNode();
                amount.set("currency", value(currency));
                amount.set("amount", NODES.objectNode().set("exact", value(position.committed())));
                row.set("investment_commitment", amount);
                BigDecimal cap = caps.get(position.tranche());
                if (cap != null) {
                    row.set("maximum_potential_return_type", value("IRR"));
                    row.set("maximum_potential_return", value(cap));
                }
                row.put("source_ids", SOURCE);
                investments.add(row);
            }
        }
        data.set("investments", investments);

        ArrayNode providers = NODES.arrayNode();
        for (String provider : terms.parties().serviceProviders()) {
            ObjectNode row = NODES.objectNode();
            row.put("id", provider);
            row.set("organisation_id", value(provider));
            ObjectNode planned = NODES.objectNode();
            planned.set("start_date", value(String.valueOf(terms.serviceStart())));
            planned.set("end_date", value(String.valueOf(terms.serviceEnd())));
            row.set("planned_service", planned);
            row.put("source_ids", SOURCE);
            providers.add(row);
        }
        data.set("service_provisions", providers);
        ObjectNode intermediary = NODES.objectNode();
        intermediary.set("organisation_id", value(terms.parties().arranger()));
        intermediary.set("organisation_role_category", value("Performance management"));
        intermediary.put("source_ids", SOURCE);
        data.set("intermediary_services", NODES.arrayNode().add(intermediary));

        data.set("outcome_payments", payments(payouts, currency, terms));
        data.set("results", results(performance, finished));

        ObjectNode project = NODES.objectNode();
        project.put("id", bond.bondId());
        project.set("data", data);
        ObjectNode document = NODES.objectNode();
        document.set("project", project);
        return document;
    }

    /** One row per metric, payer and kind: Actual for settled payouts, Planned for those approved and still due. */
    private static ArrayNode payments(List<PayoutView> payouts, String currency, BondTerms terms) {
        Map<List<String>, BigDecimal> sums = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
        for (PayoutView payout : payouts) {
            String type = switch (payout.status()) {
                case "SETTLED" -> "Actual";
                case "TRIGGERED", "HELD" -> "Planned";
                default -> null;
            };
            if (type != null && payout.amount().amount().signum() > 0) {
                sums.merge(List.of(payout.metric() == null ? "" : payout.metric(), payout.payerId(), type),
                        payout.amount().amount(), BigDecimal::add);
            }
        }
        String recipient = terms.parties().arranger();
        ArrayNode rows = NODES.arrayNode();
        sums.forEach((key, amount) -> {
            ObjectNode row = NODES.objectNode();
            if (!key.get(0).isEmpty()) {
                row.set("outcome_metric_id", value(key.get(0)));
            }
            row.set("payer_organisation_id", value(key.get(1)));
            row.set("recipient_organisation_id", value(recipient));
            row.set("type", value(key.get(2)));
            row.set("money", money(currency, amount));
            row.put("source_ids", SOURCE);
            rows.add(row);
        });
        return rows;
    }

    private static ArrayNode results(PerformanceView performance, boolean finished) {
        Map<String, BigDecimal[]> byMetric = new TreeMap<>();
        for (PerformanceView.MetricLine line : performance.metrics()) {
            BigDecimal[] sums = byMetric.computeIfAbsent(line.metric(), m -> new BigDecimal[]{BigDecimal.ZERO, BigDecimal.ZERO});
            sums[0] = sums[0].add(line.figures().approved());
            sums[1] = sums[1].add(line.figures().submitted());
        }
        ArrayNode rows = NODES.arrayNode();
        byMetric.forEach((metric, sums) -> {
            ObjectNode row = NODES.objectNode();
            row.set("outcome_metric_id", value(metric));
            row.set("result_level", value("Outcome level"));
            row.set("result_type", value(finished ? "Final" : "Interim"));
            row.set("number_with_positive_social_outcomes", value(sums[0]));
            row.set("outcomes_achieved", value(sums[0].toPlainString() + " approved of " + sums[1].toPlainString()
                    + " submitted"));
            row.put("source_ids", SOURCE);
            rows.add(row);
        });
        return rows;
    }

    private static ArrayNode pricings(PaymentMechanism mechanism, String currency) {
        ArrayNode rows = NODES.arrayNode();
        if (mechanism instanceof PaymentMechanism.RateCard card) {
            for (PaymentMechanism.Price price : card.prices()) {
                ObjectNode row = pricing(price.metric(), currency);
                row.set("price_per_unit", NODES.objectNode().set("amount", value(price.price())));
                row.set("price_description", value("Rate card: " + price.price().toPlainString() + " " + currency
                        + " per participant" + (price.metricCap() == null ? "" : ", capped at "
                        + price.metricCap().toPlainString() + " for the metric")));
                rows.add(row);
            }
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison threshold) {
            ObjectNode row = pricing(threshold.metric(), currency);
            row.set("price_per_unit", NODES.objectNode().set("amount", value(threshold.pricePerUnit())));
            row.set("price_description", value("Per outcome unit (per " + threshold.unitScale().toPlainString()
                    + ") improved against a comparison group; cohort threshold " + threshold.cohortThreshold().toPlainString()
                    + ", pooled threshold " + threshold.pooledThreshold().toPlainString()));
            rows.add(row);
        } else if (mechanism instanceof PaymentMechanism.WeightedTargets weighted) {
            for (PaymentMechanism.Target target : weighted.targets()) {
                ObjectNode row = pricing(target.metric(), currency);
                row.set("maximum_price_if_all_targets_achieved", NODES.objectNode().set("amount",
                        value(weighted.maximumOutcomePayment().multiply(target.weight()).toPlainString())));
                row.set("price_description", value("Weight " + target.weight().toPlainString() + " of a maximum of "
                        + weighted.maximumOutcomePayment().toPlainString() + " " + currency + ", pro rata to the target"));
                rows.add(row);
            }
        } else if (mechanism instanceof PaymentMechanism.Graduated graduated) {
            ObjectNode row = pricing(graduated.metric(), currency);
            row.set("price_description", value("Graduated: " + graduated.tiers().stream()
                    .map(t -> "at least " + t.atLeast().toPlainString() + " pays " + t.payment().toPlainString())
                    .collect(Collectors.joining("; "))));
            rows.add(row);
        } else if (mechanism instanceof PaymentMechanism.SavingsShare share && share.metric() != null) {
            ObjectNode row = pricing(share.metric(), currency);
            row.set("price_description", value("Share of verified savings"));
            rows.add(row);
        }
        return rows;
    }

    private static ObjectNode pricing(String metric, String currency) {
        ObjectNode row = NODES.objectNode();
        row.set("outcome_metric_id", value(metric));
        row.set("currency", value(currency));
        row.put("source_ids", SOURCE);
        return row;
    }

    private static java.util.Optional<String> targetOf(PaymentMechanism mechanism, String metric) {
        if (mechanism instanceof PaymentMechanism.WeightedTargets weighted) {
            return weighted.targets().stream().filter(t -> t.metric().equals(metric)).findFirst()
                    .map(t -> t.target().toPlainString());
        }
        return java.util.Optional.empty();
    }

    private static String stageOf(BondStatus status) {
        return switch (status) {
            case STRUCTURED -> "Contracted";
            case OPEN -> "Implementation";
            case MATURED -> "Service delivery complete";
            case CLOSED -> "Complete";
        };
    }

    private static BigDecimal sum(List<PayoutView> payouts, String status, String payer, String metric) {
        return payouts.stream().filter(p -> p.status().equals(status))
                .filter(p -> payer == null || payer.equals(p.payerId()))
                .filter(p -> metric == null || metric.equals(p.metric()))
                .map(p -> p.amount().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static ObjectNode money(String currency, BigDecimal amount) {
        ObjectNode money = NODES.objectNode();
        money.set("currency", value(currency));
        money.set("amount", value(amount));
        return money;
    }

    private static ObjectNode value(String value) {
        return NODES.objectNode().put("value", value);
    }

    private static ObjectNode value(BigDecimal value) {
        return NODES.objectNode().set("value", NODES.numberNode(value.scale() < 0 ? value.setScale(0) : value));
    }
}
