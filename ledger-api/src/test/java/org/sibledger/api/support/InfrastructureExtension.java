package org.sibledger.api.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the shared PostgreSQL and Kafka before a test class that needs them (once per test JVM). They are stopped
 * when the JVM's launcher session closes ({@link InfrastructureSession}), after every test class has closed its
 * ledger nodes and before the JVM's shutdown hooks run.
 */
public class InfrastructureExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        TestInfrastructure.get();
    }
}
