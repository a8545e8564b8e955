package org.sibledger.api.support;

import org.apache.kafka.common.utils.Exit;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Closes the shared ledger nodes ({@link LedgerNodeExtension#shared}), then stops the shared PostgreSQL and Kafka,
 * when the test JVM's launcher session closes. Not JUnit's root store: with more than one test JVM (surefire's
 * forkCount), surefire runs each test class as a launch of its own within one session, and a root store closes after
 * each of them, which would start the infrastructure again for every class (and every shared node).
 * <p>
 * A Kafka broker in this JVM (the shared one, or a test's own) that meets a fatal error asks Kafka's {@link Exit} to end
 * the process, which would end the whole test JVM without a word (surefire: "The forked VM terminated without properly
 * saying goodbye"). Here it throws instead, so the failure is the one test's, with its stack trace.
 */
public class InfrastructureSession implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        Exit.setExitProcedure((status, message) -> {
            IllegalStateException refused = new IllegalStateException(
                    "a Kafka broker in the test JVM asked to exit with " + status + ": " + message);
            refused.printStackTrace();
            throw refused;
        });
        Exit.setHaltProcedure((status, message) -> {
            IllegalStateException refused = new IllegalStateException(
                    "a Kafka broker in the test JVM asked to halt with " + status + ": " + message);
            refused.printStackTrace();
            throw refused;
        });
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            LedgerNodeExtension.closeShared();
        } finally {
            TestInfrastructure.shutdown();
        }
    }
}
