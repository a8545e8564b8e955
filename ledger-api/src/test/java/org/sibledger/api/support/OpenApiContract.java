package org.sibledger.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The OpenAPI document of contracts/ (openapi.yaml) as a checker of real answers: it finds the operation a request
 * hit and validates the answer's body against that operation's schema for the status, so every API test also
 * shows the served API matches the document.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiContract INSTANCE = load();

    private final JsonNode document;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode document) {
        this.document = document;
    }

    public static OpenApiContract get() {
        return INSTANCE;
    }

    public JsonNode document() {
        return document;
    }

    /** "GET /api/bonds/{}" for every operation, path variables written as {}. */
    public Set<String> operations() {
        Set<String> operations = new LinkedHashSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                operations.add(method.toUpperCase() + " " + normalise(path.getKey()));
            }
        }));
        return operations;
    }

    public static String normalise(String template) {
        return template.replaceAll("\\{[^}]+}", "{}");
    }

    /** The path template of the document that a concrete path matches, if any. */
    public Optional<String> templateOf(String method, String path) {
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String exact = null;
        String templated = null;
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> entry = paths.next();
            if (!entry.getValue().has(method.toLowerCase())) {
                continue;
            }
            StringBuilder pattern = new StringBuilder("^");
            String[] parts = entry.getKey().split("\\{[^}]+}", -1);
            for (int i = 0; i < parts.length; i++) {
                pattern.append(i == 0 ? "" : "[^/]+").append(Pattern.quote(parts[i]));
            }
            if (bare.matches(pattern.append("$").toString())) {
                if (!entry.getKey().contains("{")) {
                    exact = entry.getKey();
                } else if (templated == null) {
                    templated = entry.getKey();
                }
            }
        }
        return Optional.ofNullable(exact != null ? exact : templated);
    }

    /** What is wrong with an answer, by the document; empty when it conforms or the path is not an operation of it. */
    public List<String> violations(String method, String path, int status, String contentType, String body) {
        Optional<String> template = templateOf(method, path);
        if (template.isEmpty()) {
            return List.of();
        }
        JsonNode responses = document.get("paths").get(template.get()).get(method.toLowerCase()).get("responses");
        String code = String.valueOf(status);
        JsonNode response = responses.has(code) ? responses.get(code) : responses.get("default");
        String where = method + " " + template.get() + " " + status;
        if (response == null) {
            return List.of(where + ": status not documented; body " + body);
        }
        response = resolve(response);
        JsonNode content = response.get("content");
        if (content == null || body == null || body.isBlank()) {
            return List.of();
        }
        String media = contentType == null ? "" : contentType.split(";")[0].trim();
        JsonNode mediaType = content.get(media);
        if (mediaType == null) {
            return List.of(where + ": content type " + media + " not documented (" + content.fieldNames().next() + ")");
        }
        if (mediaType.get("schema") == null) {
            return List.of();
        }
        String pointer = "#/paths/" + escape(template.get()) + "/" + method.toLowerCase() + "/responses/"
                + (responses.has(code) ? code : "default") + "/content/" + escape(media) + "/schema";
        if (responses.get(responses.has(code) ? code : "default").has("$ref")) {
            pointer = responses.get(responses.has(code) ? code : "default").get("$ref").asText() + "/content/"
                    + escape(media) + "/schema";
        }
        try {
            JsonNode instance = JSON.readTree(body);
            List<String> problems = new ArrayList<>();
            for (ValidationMessage message : schema(pointer).validate(instance)) {
                problems.add(where + ": " + message.getMessage());
            }
            return problems;
        } catch (IOException e) {
            return List.of(where + ": body is not JSON: " + body);
        }
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            node = document.at(ref.substring(1));
        }
        return node;
    }

    private JsonSchema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> {
            ObjectNode root = document.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", p);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root, config);
        });
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the classpath (contracts/src/main/resources)");
            }
            return new OpenApiContract(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
