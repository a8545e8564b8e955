package org.sibledger.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.kafka.LedgerEventPublisher;
import org.sibledger.api.projection.ReadModels;
import org.sibledger.contracts.performance.FindPerformanceQuery;
import org.sibledger.contracts.performance.PerformanceView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The ledger's business meters, read from the read models every {@code sib.metrics.refresh} (default 10s), so they
 * count what the ledger holds, the same on every node and after any restart or replay (counters kept in memory
 * would count what one node happened to see):
 * <ul>
 *   <li>{@code sib.measurements{bond,status}}: measurements by status; {@code sib.measurements.submitted{bond}} all;</li>
 *   <li>{@code sib.payouts{bond,currency,status}} and {@code sib.payouts.amount{...}}: payouts triggered (not cancelled)
 *   and settled, count and amount after caps;</li>
 *   <li>{@code sib.cap.headroom{bond,currency,cap,subject}}: what is left under each cap of the terms;</li>
 *   <li>{@code sib.processor.lag{group}}: events between the head of the event store and the stored position of the
 *   processor of each read model (they share one), and of the Kafka publisher.</li>
 * </ul>
 * Command latency ({@code sib.command.latency}) and Kafka publish lag ({@code sib.kafka.publish.lag}) are timers
 * recorded where they happen.
 */
@Component
public class BusinessMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessMetrics.class);

    private final JdbcTemplate jdbc;
    private final QueryGateway queries;
    private final ReadModels readModels;
    private final MultiGauge measurements;
    private final MultiGauge submitted;
    private final MultiGauge payouts;
    private final MultiGauge payoutAmounts;
    private final MultiGauge headroom;
    private final MultiGauge lag;

    public BusinessMetrics(JdbcTemplate jdbc, QueryGateway queries, ReadModels readModels, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.readModels = readModels;
        this.measurements = MultiGauge.builder("sib.measurements").description("Measurements by status").register(registry);
        this.submitted = MultiGauge.builder("sib.measurements.submitted").description("Measurements submitted").register(registry);
        this.payouts = MultiGauge.builder("sib.payouts").description("Payouts triggered (not cancelled) and settled").register(registry);
        this.payoutAmounts = MultiGauge.builder("sib.payouts.amount")
                .description("Amounts payable after caps of payouts triggered (not cancelled) and settled").register(registry);
        this.headroom = MultiGauge.builder("sib.cap.headroom").description("What is left under each cap of the terms").register(registry);
        this.lag = MultiGauge.builder("sib.processor.lag").baseUnit("events")
                .description("Events stored but not yet processed, per processing group").register(registry);
    }

    /** Reads every meter from the read models once. */
    public void refresh() {
        List<MultiGauge.Row<?>> byStatus = new ArrayList<>();
        List<MultiGauge.Row<?>> all = new ArrayList<>();
        jdbc.query("SELECT bond_id, status, count(*) FROM measurement_view GROUP BY bond_id, status", rs -> {
            byStatus.add(MultiGauge.Row.of(Tags.of("bond", rs.getString(1), "status", rs.getString(2)), rs.getLong(3)));
        });
        jdbc.query("SELECT bond_id, count(*) FROM measurement_view GROUP BY bond_id", rs -> {
            all.add(MultiGauge.Row.of(Tags.of("bond", rs.getString(1)), rs.getLong(2)));
        });
        measurements.register(byStatus, true);
        submitted.register(all, true);

        List<MultiGauge.Row<?>> counts = new ArrayList<>();
        List<MultiGauge.Row<?>> amounts = new ArrayList<>();
        jdbc.query("""
                SELECT bond_id, currency, 'TRIGGERED' AS status, count(*), sum(payable) FROM payout_view
                WHERE status <> 'CANCELLED' GROUP BY bond_id, currency
                UNION ALL
                SELECT bond_id, currency, 'SETTLED', count(*), sum(payable) FROM payout_view
                WHERE status = 'SETTLED' GROUP BY bond_id, currency""", rs -> {
            Tags tags = Tags.of("bond", rs.getString(1), "currency", rs.getString(2), "status", rs.getString(3));
            counts.add(MultiGauge.Row.of(tags, rs.getLong(4)));
            amounts.add(MultiGauge.Row.of(tags, rs.getBigDecimal(5).doubleValue()));
        });
        payouts.register(counts, true);
        payoutAmounts.register(amounts, true);

        List<MultiGauge.Row<?>> caps = new ArrayList<>();
        for (String bondId : jdbc.queryForList("SELECT bond_id FROM performance_bond ORDER BY bond_id", String.class)) {
            queries.query(new FindPerformanceQuery(bondId, null), ResponseTypes.optionalInstanceOf(PerformanceView.class))
                    .join().ifPresent(view -> view.caps().forEach(cap -> caps.add(MultiGauge.Row.of(
                            Tags.of("bond", bondId, "currency", view.currency(), "cap", cap.kind(),
                                    "subject", cap.subject() == null ? "" : cap.subject()),
                            cap.headroom().amount().doubleValue()))));
        }
        headroom.register(caps, true);

        long head = readModels.head();
        List<MultiGauge.Row<?>> behind = new ArrayList<>();
        // each segment as stored, or as held here where it is ahead (a segment with nothing to commit stores its token
        // only at its next claim extension)
        var stored = readModels.storedSegments();
        var processors = readModels.streamingProcessors();
        Map<String, String> groups = new java.util.LinkedHashMap<>();
        readModels.names().forEach(readModel -> groups.put(readModel, readModels.processorName(readModel)));
        groups.put(LedgerEventPublisher.PROCESSING_GROUP, LedgerEventPublisher.PROCESSING_GROUP);
        for (Map.Entry<String, String> entry : groups.entrySet()) {
            String group = entry.getKey();
            var processor = processors.get(entry.getValue());
            List<org.axonframework.eventhandling.TrackingToken> tokens = processor == null
                    ? stored.containsKey(entry.getValue()) ? new ArrayList<>(stored.get(entry.getValue()).values()) : null
                    : new ArrayList<>(ReadModels.segments(entry.getValue(), processor, stored).values());
            OptionalLong position = ReadModels.position(tokens);
            behind.add(MultiGauge.Row.of(Tags.of("group", group),
                    head < 0 ? 0 : position.isPresent() ? Math.max(0, head - position.getAsLong()) : head + 1));
        }
        lag.register(behind, true);
    }

    /** Spring's scheduler runs it from the context's start to its close (see LedgerApplication and spring.task.scheduling). */
    @Scheduled(fixedDelayString = "${sib.metrics.refresh:10s}")
    void scheduled() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debug("Business metrics not refreshed: {}", e.toString());
        }
    }
}
