package org.sibledger.api.projection;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The read models in the readiness group (not liveness: restarting the node would not fix an event that cannot be
 * stored): {@value #DEGRADED} while any read model has dead letters, naming the read model, the bond and the event of
 * each, so that the failure is loud. DEGRADED answers 200 (application.yml maps it), because every other bond and
 * every other read model is still served: taking the node out of its service would stop them too.
 */
@Component("readModelsHealthIndicator") // shown as "readModels" (Spring drops the suffix)
public class ReadModelsHealth implements HealthIndicator {

    public static final String DEGRADED = "DEGRADED";
    private static final int SHOWN = 10;

    private final DeadLetters deadLetters;

    public ReadModelsHealth(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public Health health() {
        Map<String, Long> counts = new LinkedHashMap<>();
        deadLetters.counts().forEach((readModel, count) -> {
            if (count > 0) {
                counts.put(readModel, count);
            }
        });
        if (counts.isEmpty()) {
            return Health.up().withDetail("deadLetters", 0).build();
        }
        return Health.status(new Status(DEGRADED, "Read models could not process some bonds' events; see /api/admin/dead-letters"))
                .withDetail("deadLetters", counts)
                .withDetail("letters", deadLetters.list(null, null, SHOWN).stream().map(DeadLetters.Letter::asMap).toList())
                .build();
    }
}
