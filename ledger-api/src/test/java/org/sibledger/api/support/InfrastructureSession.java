package org.sibledger.api.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Closes the shared ledger nodes ({@link LedgerNodeExtension#shared}), then stops the shared PostgreSQL and Kafka,
 * when the test JVM's launcher session closes. Not JUnit's root store: with more than one test JVM (surefire's
 * forkCount), surefire runs each test class as a launch of its own within one session, and a root store closes after
 * each of them, which would start the infrastructure again for every class (and every shared node).
 */
public class InfrastructureSession implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            LedgerNodeExtension.closeShared();
        } finally {
            TestInfrastructure.shutdown();
        }
    }
}
