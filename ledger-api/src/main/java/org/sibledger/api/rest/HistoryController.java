package org.sibledger.api.rest;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.sibledger.api.integrity.IntegrityCheck;
import org.sibledger.api.security.BondAccess;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.stream.EventTypes;
import org.sibledger.core.integrity.ChainVerifier;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bond's history, event by event with who acted, when and the hash chain, read from the event store itself; and
 * the integrity check, which recomputes that chain from the stored rows.
 */
@RestController
@RequestMapping("/api/bonds/{bondId}")
public class HistoryController {

    private final EventStore events;
    private final IntegrityCheck integrity;
    private final BondAccess access;

    public HistoryController(EventStore events, IntegrityCheck integrity, BondAccess access) {
        this.events = events;
        this.integrity = integrity;
        this.access = access;
    }

    @GetMapping("/history")
    public Map<String, Object> history(@PathVariable String bondId, @RequestParam(defaultValue = "0") long from,
                                       @RequestParam(defaultValue = "100") int size, Authentication principal) {
        Paging.check(0, size);
        access.requireParty(bondId, principal);
        List<Map<String, Object>> items = events.readEvents(bondId, Math.max(from, 0)).asStream()
                .limit(size).map(HistoryController::entry).toList();
        return Map.of("bondId", bondId, "from", from, "items", items);
    }

    @GetMapping("/integrity")
    public Map<String, Object> integrity(@PathVariable String bondId, Authentication principal) {
        access.requireParty(bondId, principal);
        ChainVerifier.Verdict verdict = integrity.verify(bondId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("bondId", bondId);
        answer.put("intact", verdict.intact());
        answer.put("eventsChecked", verdict.eventsChecked());
        if (verdict.intact()) {
            answer.put("headHash", verdict.headHash());
        } else {
            answer.put("firstBadSequence", verdict.firstBadSequence());
            answer.put("reason", verdict.reason());
        }
        return answer;
    }

    private static Map<String, Object> entry(DomainEventMessage<?> event) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sequence", event.getSequenceNumber());
        entry.put("eventId", event.getIdentifier());
        entry.put("type", EventTypes.name(event.getPayloadType()));
        entry.put("occurredAt", event.getMetaData().getOrDefault(AuditMetadata.OCCURRED_AT, event.getTimestamp().toString()));
        entry.put("actor", event.getMetaData().get(AuditMetadata.ACTOR));
        entry.put("hash", event.getMetaData().get(AuditMetadata.HASH));
        entry.put("previousHash", event.getMetaData().get(AuditMetadata.PREVIOUS_HASH));
        entry.put("payload", event.getPayload());
        return entry;
    }
}
