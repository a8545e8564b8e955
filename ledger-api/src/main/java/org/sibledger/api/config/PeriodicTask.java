package org.sibledger.api.config;

import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Work the application runs on a daemon thread of its own, every {@code delay} after the end of the previous run,
 * from its start until its stop. It starts after the event processors and the database and stops before them.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private final String threadName;
    private final Duration initialDelay;
    private final Duration delay;
    private ScheduledExecutorService scheduler;

    protected PeriodicTask(String threadName, Duration initialDelay, Duration delay) {
        this.threadName = threadName;
        this.initialDelay = initialDelay;
        this.delay = delay;
    }

    /** One run. */
    protected abstract void runOnce();

    /** A run that failed; the next one comes as planned. */
    protected abstract void failed(RuntimeException e);

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                failed(e);
            }
        }, initialDelay.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null && !scheduler.isShutdown();
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 10;
    }
}
