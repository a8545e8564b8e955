package org.sibledger.api.rest;

import org.sibledger.api.integrity.IntegrityCheck;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.history.HistoryPage;
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
 * integrity check, which recomputes that chain from the event store's own rows, never from a read model. The history
 * is shown to each party as {@link Visibility} redacts it; the verdict is the whole chain's, for any party.
 */
@RestController
@RequestMapping("/api/bonds/{bondId}")
public class HistoryController {

    private final IntegrityCheck integrity;
    private final Visibility visibility;

    public HistoryController(IntegrityCheck integrity, Visibility visibility) {
        this.integrity = integrity;
        this.visibility = visibility;
    }

    @GetMapping("/history")
    public HistoryPage history(@PathVariable String bondId, @RequestParam(defaultValue = "0") long from,
                               @RequestParam(defaultValue = "100") int size, Authentication principal) {
        Paging.checkHistory(from, size);
        return visibility.history(bondId, from, size, principal);
    }

    @GetMapping("/integrity")
    public Map<String, Object> integrity(@PathVariable String bondId, Authentication principal) {
        visibility.anyParty(bondId, principal);
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
