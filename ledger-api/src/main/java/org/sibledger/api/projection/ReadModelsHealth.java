package org.sibledger.api.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read models in the readiness group (not liveness: restarting the node would not fix an event that cannot be
 * stored): {@value #DEGRADED} while any read model has dead letters, naming the read model, the bond and the event of
 * each, so that the failure is loud. DEGRADED answers 200 (application.yml maps it), because every other bond and
 * every other read model is still served: taking the node out of its service would stop them too. DEGRADED too while
 * an event has kept failing for longer than {@code sib.read-models.retrying-alarm-after} (default 30s) for a reason
 * taken as the database's ({@link ReadModelGuard#retrying}): it is retried rather than dead-lettered, and the bonds
 * of its segment wait behind it, so it is named with its read model, bond and cause.
 */
@Component("readModelsHealthIndicator") // shown as "readModels" (Spring drops the suffix)
public class ReadModelsHealth implements HealthIndicator {

    public static final String DEGRADED = "DEGRADED";
    private static final int SHOWN = 10;

    private final DeadLetters deadLetters;
    private final ObjectProvider<ReadModelGuard> guard;
    private final Duration alarmAfter;

    public ReadModelsHealth(DeadLetters deadLetters, ObjectProvider<ReadModelGuard> guard, MeterRegistry registry,
                            @Value("${sib.read-models.retrying-alarm-after:30s}") Duration alarmAfter) {
        this.deadLetters = deadLetters;
        this.guard = guard;
        this.alarmAfter = alarmAfter;
        for (String readModel : ReadModels.NAMES) {
            Gauge.builder("sib.processor.retrying", () -> retrying().stream()
                            .filter(r -> r.readModel().equals(readModel)).count())
                    .description("Events a read model has kept failing on for a reason taken as the database's, "
                            + "retried with their segment's other bonds waiting behind them")
                    .tag("read_model", readModel).register(registry);
        }
    }

    /** The events retried for longer than the alarm's delay (see {@link ReadModelGuard#retrying}). */
    public List<ReadModelGuard.Retrying> retrying() {
        return guard.stream().flatMap(g -> g.retrying(alarmAfter).stream()).toList();
    }

    @Override
    public Health health() {
        Map<String, Long> counts = new LinkedHashMap<>();
        deadLetters.counts().forEach((readModel, count) -> {
            if (count > 0) {
                counts.put(readModel, count);
            }
        });
        List<ReadModelGuard.Retrying> retrying = retrying();
        if (counts.isEmpty() && retrying.isEmpty()) {
            return Health.up().withDetail("deadLetters", 0).build();
        }
        Health.Builder health = Health.status(new Status(DEGRADED, counts.isEmpty()
                ? "Read models keep failing on some events, retried while their segments' bonds wait; see /api/admin/projections"
                : "Read models could not process some bonds' events; see /api/admin/dead-letters"));
        health.withDetail("deadLetters", counts.isEmpty() ? 0 : counts);
        if (!counts.isEmpty()) {
            health.withDetail("letters", deadLetters.list(null, null, SHOWN).stream().map(DeadLetters.Letter::asMap).toList());
        }
        if (!retrying.isEmpty()) {
            health.withDetail("retrying", retrying.stream().limit(SHOWN).map(ReadModelGuard.Retrying::asMap).toList());
        }
        return health.build();
    }
}
