package org.sibledger.api.rest;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API's contract, served as it is kept in contracts/ (openapi.yaml and the JSON Schemas of the messages and
 * documents), to anyone, for client generators and validators.
 */
@RestController
public class OpenApiController {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");
    private static final MediaType SCHEMA = MediaType.parseMediaType("application/schema+json");
    private static final String SUFFIX = ".schema.json";

    @GetMapping("/openapi.yaml")
    public ResponseEntity<Resource> document() {
        return ResponseEntity.ok().contentType(YAML).body(new ClassPathResource("openapi.yaml"));
    }

    /** Each schema's name and where it is served. */
    @GetMapping("/api/schemas")
    public Map<String, Object> schemas() {
        Map<String, Object> schemas = new LinkedHashMap<>();
        ContractSchemas.NAMES.forEach(name -> schemas.put(name, "/api/schemas/" + name + SUFFIX));
        return JsonBodies.object("openapi", "/openapi.yaml", "schemas", schemas);
    }

    /** One schema, by its name with or without ".schema.json" (e.g. measurement-message). */
    @GetMapping("/api/schemas/{name}")
    public ResponseEntity<Resource> schema(@PathVariable String name) {
        String bare = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
        if (!ContractSchemas.NAMES.contains(bare)) {
            throw new org.sibledger.contracts.common.CommandRefusedException(
                    org.sibledger.contracts.common.CommandRefusedException.Kind.NOT_FOUND, "unknown-schema",
                    "No schema '" + bare + "'; the schemas are " + String.join(", ", ContractSchemas.NAMES)).with(bare);
        }
        return ResponseEntity.status(HttpStatus.OK).contentType(SCHEMA)
                .body(new ClassPathResource("schemas/" + bare + SUFFIX));
    }
}
