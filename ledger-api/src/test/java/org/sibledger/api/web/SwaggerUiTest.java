package org.sibledger.api.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.sibledger.api.support.LedgerNodeExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Swagger UI at /swagger-ui, for signed-in users, showing the contract as kept (openapi.yaml), nothing generated. */
class SwaggerUiTest {

    @RegisterExtension
    static final LedgerNodeExtension node = LedgerNodeExtension.shared();

    @Test
    void signedInUsersSeeTheProjectsOpenApiFile() {
        PageSession investor = PageSession.signIn(node.node().baseUrl(), "investor");
        PageSession.Page entry = investor.get("/swagger-ui");
        assertThat(entry.status()).isIn(200, 301, 302);
        PageSession.Page index = investor.get("/swagger-ui/index.html");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("swagger-ui-bundle.js").contains("swagger-initializer.js");
        PageSession.Page initializer = investor.get("/swagger-ui/swagger-initializer.js");
        assertThat(initializer.status()).isEqualTo(200);
        assertThat(initializer.body()).contains("/openapi.yaml").doesNotContain("petstore");
        assertThat(investor.get("/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
        PageSession.Page contract = investor.get("/openapi.yaml");
        assertThat(contract.status()).isEqualTo(200);
        assertThat(contract.body()).contains("title: SIB outcomes ledger API");
        // nothing is generated from the code
        assertThat(investor.get("/v3/api-docs").body()).doesNotContain("/api/bonds");
    }

    @Test
    void noOneElseSeesIt() throws Exception {
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(node.node().baseUrl() + "/swagger-ui/index.html")).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }
}
