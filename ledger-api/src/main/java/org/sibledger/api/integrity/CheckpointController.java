package org.sibledger.api.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sibledger.api.security.BondAccess;
import org.sibledger.api.security.Visibility;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.integrity.Checkpoint;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a party needs to check a bond without trusting the operator's database: the ledger's signed checkpoints of the
 * bond's head, the ledger's public key, and the bond's events as the hash chain covers them. Same access as the
 * bond's history: any party of the bond, or an admin, each event redacted as the history redacts it; the public key
 * to anyone signed in.
 */
@RestController
public class CheckpointController {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final int MAX_SIZE = 500;

    private final CheckpointStore checkpoints;
    private final IntegrityCheck integrity;
    private final SigningKey key;
    private final BondAccess access;
    private final Visibility visibility;

    public CheckpointController(CheckpointStore checkpoints, IntegrityCheck integrity, SigningKey key,
                                BondAccess access, Visibility visibility) {
        this.checkpoints = checkpoints;
        this.integrity = integrity;
        this.key = key;
        this.access = access;
        this.visibility = visibility;
    }

    // also under /app, for people signed in to the pages: the API takes no page session (issue 16), the download does
    @GetMapping({"/api/bonds/{bondId}/checkpoints", "/app/bonds/{bondId}/checkpoints"})
    public Map<String, Object> checkpoints(@PathVariable String bondId, @RequestParam(defaultValue = "20") int size,
                                           Authentication principal) {
        if (size < 1 || size > MAX_SIZE) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-paging",
                    "The page parameters are out of range",
                    List.of(new CommandRefusedException.FieldViolation("size", "must be from 1 to " + MAX_SIZE)))
                            .with("size", "must be from 1 to " + MAX_SIZE);
        }
        access.requireParty(bondId, principal);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("bondId", bondId);
        answer.put("keyId", key.keyId());
        answer.put("items", checkpoints.newest(bondId, size));
        return answer;
    }

    /**
     * The bond's events exactly as hashed, for {@code java -jar ledger-api.jar verify}: redacted by the history's rule
     * for a reader who does not see the whole history (Visibility, read EVENTS), as the history is.
     */
    @GetMapping(value = {"/api/bonds/{bondId}/export", "/app/bonds/{bondId}/export"}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> export(@PathVariable String bondId, Authentication principal) throws Exception {
        Visibility.Viewer viewer = visibility.viewer(bondId, principal);
        ObjectNode export = HistoryExport.write(bondId, integrity.events(bondId),
                visibility.redaction(viewer, Visibility.Read.EVENTS));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsString(export));
    }

    @GetMapping({"/api/ledger/public-key", "/app/ledger/public-key"})
    public Map<String, Object> publicKey() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("algorithm", Checkpoint.ALGORITHM);
        answer.put("keyId", key.keyId());
        answer.put("publicKey", key.publicKeyBase64());
        answer.put("pem", key.publicKeyPem());
        return answer;
    }
}
