package org.sibledger.api.support;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the reliability suite tried, how much, and what was lost. Each test adds its line; at the end of the test run
 * the lines are written to target/reliability-summary.md, which the build prints after the tests; the test JVMs of
 * one run (surefire's forks) share it.
 */
public final class ReliabilityReport implements TestExecutionListener {

    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    public static void add(String fault, String tried, String lost) {
        LINES.add("| " + fault + " | " + tried + " | " + lost + " |");
    }

    /**
     * Writes the lines added since the last call into target/reliability-summary.md. With more than one test JVM
     * (surefire's forkCount) each ends its own test plans: under a file lock, each adds its lines to those already
     * written in this build (a summary older than this JVM is a previous build's, and is replaced).
     */
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (LINES.isEmpty()) {
            return;
        }
        Path target = Path.of("target");
        Path summary = target.resolve("reliability-summary.md");
        try {
            Files.createDirectories(target);
            try (FileChannel channel = FileChannel.open(target.resolve("reliability-summary.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                // taken out as written: surefire's forks end a test plan after each class, and call this each time
                List<String> lines = new ArrayList<>(LINES);
                LINES.removeAll(lines);
                long thisJvmStarted = ManagementFactory.getRuntimeMXBean().getStartTime();
                if (Files.exists(summary) && Files.getLastModifiedTime(summary).toMillis() >= thisJvmStarted) {
                    Files.readAllLines(summary).stream().skip(HEADER_LINES).filter(line -> line.startsWith("| "))
                            .forEach(lines::add);
                }
                StringBuilder text = new StringBuilder("Reliability suite (" + java.time.LocalDate.now() + ")\n\n")
                        .append("| fault or input | what was tried | what was lost |\n|---|---|---|\n");
                lines.stream().sorted().forEach(line -> text.append(line).append('\n'));
                Files.writeString(summary, text);
            }
        } catch (IOException e) {
            System.err.println("cannot write the reliability summary: " + e);
        }
    }

    /** The title, a blank line, the table's head and its rule. */
    private static final int HEADER_LINES = 4;
}
