package org.sibledger.api.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Stops the shared PostgreSQL and Kafka when the whole test run ends, through JUnit's root store, which closes
 * before the JVM's shutdown hooks run: every test class has closed its ledger nodes by then.
 */
public class InfrastructureExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(InfrastructureExtension.class, k -> {
                    TestInfrastructure.get();
                    return (ExtensionContext.Store.CloseableResource) TestInfrastructure::shutdown;
                });
    }
}
