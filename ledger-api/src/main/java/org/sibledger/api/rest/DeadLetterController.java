package org.sibledger.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.api.projection.DeadLetters;
import org.sibledger.api.projection.ReadModels;
import org.sibledger.contracts.common.CommandRefusedException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * The read models' dead letters, for the ADMIN role only (see SecurityConfig, {@code /api/admin/**}): events a read
 * model could not process, each with its bond, event and error; retried after a fix, or skipped with a reason. Every
 * action is logged and recorded in {@code read_model_action} with who did it and why.
 */
@RestController
@RequestMapping("/api/admin/dead-letters")
public class DeadLetterController {

    private final DeadLetters deadLetters;
    private final ObjectMapper json;

    public DeadLetterController(DeadLetters deadLetters, ObjectMapper json) {
        this.deadLetters = deadLetters;
        this.json = json;
    }

    /** Every dead letter (or one read model's, or one bond's), bond by bond in the order they failed. */
    @GetMapping
    public Map<String, Object> list(@RequestParam(required = false) String readModel,
                                    @RequestParam(required = false) String bondId,
                                    @RequestParam(defaultValue = "500") int limit) {
        if (readModel != null) {
            known(readModel);
        }
        Paging.check(0, limit);
        List<Map<String, Object>> items = deadLetters.list(readModel, bondId, limit).stream()
                .map(DeadLetters.Letter::asMap).toList();
        return JsonBodies.object("counts", deadLetters.counts(), "items", items);
    }

    /** Retries every dead letter, of every read model, bond by bond; a bond stops at its first letter that fails again. */
    @PostMapping("/retry")
    public Map<String, Object> retryAll(@RequestBody(required = false) String body, Authentication principal) {
        return JsonBodies.object("results", outcomes(deadLetters.retryAll(null, principal.getName(), reason(body, false))));
    }

    /** Retries one read model's dead letters of one bond. */
    @PostMapping("/{readModel}/{bondId}/retry")
    public Map<String, Object> retry(@PathVariable String readModel, @PathVariable String bondId,
                                     @RequestBody(required = false) String body, Authentication principal) {
        known(readModel);
        return outcome(deadLetters.retry(readModel, bondId, principal.getName(), reason(body, false)));
    }

    /**
     * Skips one dead letter (by its id or its event's id): its read model will not show that event until a replay.
     * The body must give the reason, {@code {"reason": "..."}}. The bond's later letters are retried.
     */
    @PostMapping("/{readModel}/letters/{letterId}/skip")
    public Map<String, Object> skip(@PathVariable String readModel, @PathVariable String letterId,
                                    @RequestBody(required = false) String body, Authentication principal) {
        known(readModel);
        String reason = reason(body, true);
        return deadLetters.skip(readModel, letterId, principal.getName(), reason).map(DeadLetterController::outcome)
                .orElseThrow(() -> new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND,
                        "unknown-dead-letter", "No dead letter '" + letterId + "' in read model '" + readModel + "'")
                        .with(letterId, readModel));
    }

    private String reason(String body, boolean required) {
        String reason = null;
        if (body != null && !body.isBlank()) {
            JsonNode parsed = JsonBodies.parse(json, body);
            JsonNode given = parsed.path("reason");
            reason = given.isTextual() && !given.asText().isBlank() ? given.asText().trim() : null;
        }
        if (reason == null && required) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "A skip needs a reason", List.of(new CommandRefusedException.FieldViolation("reason", "is required")))
                            .with("reason", "is required");
        }
        if (reason != null && reason.length() > 2000) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "reason is too long", List.of(new CommandRefusedException.FieldViolation("reason", "at most 2000 characters")))
                            .with("reason", "at most 2000 characters");
        }
        return reason;
    }

    private static void known(String readModel) {
        if (!ReadModels.NAMES.contains(readModel)) {
            throw new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND, "unknown-projection",
                    "No read model '" + readModel + "'; known: " + ReadModels.NAMES).with(readModel);
        }
    }

    private static List<Map<String, Object>> outcomes(List<DeadLetters.Outcome> outcomes) {
        return outcomes.stream().map(DeadLetterController::outcome).toList();
    }

    private static Map<String, Object> outcome(DeadLetters.Outcome outcome) {
        return JsonBodies.object("readModel", outcome.readModel(), "bondId", outcome.bondId(),
                "succeeded", outcome.succeeded(), "lettersLeft", outcome.lettersLeft());
    }
}
