package org.sibledger.api.support;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the reliability suite tried, how much, and what was lost. Each test adds its line; at the end of the test run
 * the lines are written to target/reliability-summary.md, which the build prints after the tests.
 */
public final class ReliabilityReport implements TestExecutionListener {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    public static void add(String fault, String tried, String lost) {
        LINES.add("| " + fault + " | " + tried + " | " + lost + " |");
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (LINES.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder("Reliability suite (" + java.time.LocalDate.now() + ")\n\n")
                .append("| fault or input | what was tried | what was lost |\n|---|---|---|\n");
        LINES.stream().sorted().forEach(line -> text.append(line).append('\n'));
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Files.writeString(target.resolve("reliability-summary.md"), text);
        } catch (IOException e) {
            System.err.println("cannot write the reliability summary: " + e);
        }
    }
}
