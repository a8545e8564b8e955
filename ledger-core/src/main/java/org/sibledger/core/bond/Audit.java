package org.sibledger.core.bond;

import org.axonframework.messaging.MetaData;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.CommandRefusedException;

import java.util.HashMap;
import java.util.Map;

/** The audit part of a command's metadata, which every event it causes carries on. */
final class Audit {

    private static final String[] KEYS = {
            AuditMetadata.ACTOR, AuditMetadata.ON_BEHALF_OF, AuditMetadata.OCCURRED_AT, AuditMetadata.IDEMPOTENCY_KEY
    };

    private Audit() {
    }

    static MetaData of(MetaData commandMetaData) {
        Map<String, Object> audit = new HashMap<>();
        for (String key : KEYS) {
            Object value = commandMetaData.get(key);
            if (value != null) {
                audit.put(key, value.toString());
            }
        }
        return MetaData.from(audit);
    }

    static String requireActor(MetaData metaData) {
        Object actor = metaData.get(AuditMetadata.ACTOR);
        if (actor == null || actor.toString().isBlank()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.FORBIDDEN, "no-actor",
                    "The command names no acting principal");
        }
        return actor.toString();
    }
}
