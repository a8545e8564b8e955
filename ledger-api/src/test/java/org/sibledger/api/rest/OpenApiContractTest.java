package org.sibledger.api.rest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.Api;
import org.sibledger.api.support.LedgerNodeExtension;
import org.sibledger.api.support.OpenApiContract;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served API is the one openapi.yaml describes: the same operations, no more and no fewer, and the document is
 * served as kept in contracts/. (That answers match their schemas is checked on every API call of every test: see
 * {@link Api}.)
 */
class OpenApiContractTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    @Test
    void theServedOperationsAreExactlyTheDocumentedOnes() {
        Set<String> served = new TreeSet<>();
        Map<RequestMappingInfo, HandlerMethod> handlers = node.bean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class).getHandlerMethods();
        handlers.keySet().forEach(info -> info.getPatternValues().stream().filter(p -> p.startsWith("/api/"))
                .forEach(pattern -> info.getMethodsCondition().getMethods()
                        .forEach(method -> served.add(method.name() + " " + OpenApiContract.normalise(pattern)))));
        assertThat(served).hasSizeGreaterThan(30);
        assertThat(new TreeSet<>(OpenApiContract.get().operations())).isEqualTo(served);
    }

    @Test
    void theDocumentIsServedAsKeptInContracts() throws IOException {
        Api.Response served = node.anonymous().get("/openapi.yaml");
        assertThat(served.status()).isEqualTo(200);
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            assertThat(served.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(OpenApiContract.get().document().get("openapi").asText()).startsWith("3.1");
    }

    /** The check every API call goes through finds what is wrong, so its silence means something. */
    @Test
    void theContractCheckRefusesAnswersThatDoNotFit() {
        OpenApiContract contract = OpenApiContract.get();
        String payouts = "/api/bonds/b-1/payouts";
        assertThat(contract.violations("GET", payouts, 200, "application/json", """
                {"items": [], "page": 0, "size": 50, "totalItems": 0}""")).isEmpty();
        assertThat(contract.violations("GET", payouts, 200, "application/json", """
                {"items": [{"payoutId": "po-1", "amount": 2750.00}], "page": 0, "size": 50, "totalItems": 1}"""))
                .isNotEmpty();
        assertThat(contract.violations("GET", payouts, 200, "application/json", "{\"page\": \"zero\"}")).isNotEmpty();
        assertThat(contract.violations("POST", "/api/bonds/b-1/opening", 200, "application/json", "[]")).isNotEmpty();
        assertThat(contract.violations("GET", "/api/bonds/b-1/history", 404, "application/problem+json",
                "{\"title\": \"No type\"}")).isNotEmpty();
    }
}
