package org.sibledger.api.rest;

import org.sibledger.api.projection.ReadModels;
import org.sibledger.contracts.common.CommandRefusedException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/** Operations on the read models, for the ADMIN role only (see SecurityConfig): their state, and their rebuild. */
@RestController
@RequestMapping("/api/admin/projections")
public class AdminController {

    private final ReadModels readModels;

    public AdminController(ReadModels readModels) {
        this.readModels = readModels;
    }

    @GetMapping
    public Map<String, Map<String, Object>> status() {
        return readModels.status();
    }

    /**
     * Rebuilds one read model, or every one for {@code all}, with the others that share its processor; answers at once
     * with the read models being rebuilt, and GET tells when they have caught up.
     */
    @PostMapping("/{name}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable String name) {
        List<String> names = name.equals("all") ? readModels.names() : List.of(name);
        if (!readModels.names().containsAll(names)) {
            throw new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND, "unknown-projection",
                    "No read model '" + name + "'; known: " + readModels.names()).with(name);
        }
        List<String> replaying = readModels.replay(names);
        return ResponseEntity.accepted().body(JsonBodies.object("replaying", replaying, "status", "/api/admin/projections"));
    }
}
