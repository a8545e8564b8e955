package org.sibledger.api.rest;

import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.integrity.IntegrityCheck;
import org.sibledger.api.security.BondAccess;
import org.sibledger.contracts.history.HistoryPage;
import org.sibledger.contracts.history.ListHistoryQuery;
import org.sibledger.core.integrity.ChainVerifier;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bond's history, event by event with who acted, when and the hash chain, from the history read model; and the
 * integrity check, which recomputes that chain from the event store's own rows, never from a read model.
 */
@RestController
@RequestMapping("/api/bonds/{bondId}")
public class HistoryController {

    private final QueryGateway queries;
    private final IntegrityCheck integrity;
    private final BondAccess access;

    public HistoryController(QueryGateway queries, IntegrityCheck integrity, BondAccess access) {
        this.queries = queries;
        this.integrity = integrity;
        this.access = access;
    }

    @GetMapping("/history")
    public HistoryPage history(@PathVariable String bondId, @RequestParam(defaultValue = "0") long from,
                               @RequestParam(defaultValue = "100") int size, Authentication principal) {
        Paging.checkHistory(from, size);
        access.requireParty(bondId, principal);
        return queries.query(new ListHistoryQuery(bondId, from, size), HistoryPage.class).join();
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
        if (verdict.checkpointSequence() != null) {
            answer.put("checkpointSequence", verdict.checkpointSequence());
        }
        return answer;
    }
}
