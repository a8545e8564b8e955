package org.sibledger.api.support;

import org.sibledger.api.LedgerApplication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ledger as an operating-system process on its embedded default (as {@code java -jar} runs it), with its output
 * in a file read while it starts and after it ends; stopped with SIGTERM or killed with SIGKILL.
 */
public record LedgerProcess(Process process, Path log, int port) {

    public static LedgerProcess start(Path dataDir, int port, String... extraArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile(dataDir.toAbsolutePath().getParent(), "ledger", ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        // the JIT's tiers as the test JVM has them (the pom's sib.test.jvm-options; all of them in the benchmarks)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-XX:TieredStopAtLevel=")).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LedgerApplication.class.getName(),
                "--server.port=" + port, "--sib.data-dir=" + dataDir));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LedgerProcess ledger = new LedgerProcess(process, log, port);
        String output = Waits.lastAnswer(Duration.ofSeconds(180), Duration.ofMillis(100), ledger::output,
                text -> text.contains("SIB outcomes ledger is running") || !process.isAlive());
        if (!output.contains("SIB outcomes ledger is running")) {
            process.destroyForcibly();
            throw new AssertionError("the ledger did not start:\n" + ledger.output());
        }
        return ledger;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** SIGTERM, and the exit status once the process has ended. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the ledger did not stop within 60 s:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed by the ledger. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the ledger did not die on SIGKILL");
        }
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
