package org.sibledger.api.config;

import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Takes the snapshots a trigger asks for on a thread of their own, after the command's commit, and never loses one.
 * <p>
 * Axon's snapshotter drops a request for a bond whose snapshot is being taken at that moment. With the snapshot
 * taken off the command's thread, a bond that receives commands quickly (a first snapshot is slow while the JVM is
 * cold) then went on without the snapshot its trigger had asked for, and loaded more events than the threshold
 * promises until the next trigger. Here a request made while a snapshot of the same bond is being taken queues one
 * more, taken after it; requests made while one is queued and not yet started join it, as it reads the bond when it
 * runs. {@code delegate} must take the snapshot in the calling thread, and {@code executor} must run one task at a
 * time (the application's is a single thread): two threads could take two snapshots of one bond at once, and the
 * delegate would drop the second as Axon's does.
 */
final class CoalescingSnapshotter implements Snapshotter {

    private final Snapshotter delegate;
    private final Executor executor;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    CoalescingSnapshotter(Snapshotter delegate, Executor executor) {
        this.delegate = delegate;
        this.executor = executor;
    }

    @Override
    public void scheduleSnapshot(Class<?> aggregateType, String aggregateIdentifier) {
        if (CurrentUnitOfWork.isStarted() && CurrentUnitOfWork.get().phase().isBefore(UnitOfWork.Phase.COMMIT)) {
            CurrentUnitOfWork.get().afterCommit(u -> queue(aggregateType, aggregateIdentifier));
        } else {
            queue(aggregateType, aggregateIdentifier);
        }
    }

    private void queue(Class<?> aggregateType, String aggregateIdentifier) {
        String key = aggregateType.getName() + "#" + aggregateIdentifier;
        if (queued.add(key)) {
            try {
                executor.execute(() -> {
                    // from here on a new request queues another snapshot, which will see what this one misses
                    queued.remove(key);
                    delegate.scheduleSnapshot(aggregateType, aggregateIdentifier);
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // the application is stopping: the bond loads from its events and its last snapshot as before
                queued.remove(key);
            }
        }
    }
}
