package org.sibledger.projections.common;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * A read model's inserts, sent to PostgreSQL as JDBC batches when the processor's batch of events commits, in the
 * order they were made, instead of one round trip per event; in the same transaction as the processor's token, so
 * they are written exactly when the token says they are. Outside an event processor's unit of work (a reset, a
 * test) they are executed at once. Only for writes whose result no handler reads back within the same batch.
 */
public final class BatchedWrites {

    private final JdbcTemplate jdbc;
    private final String key = BatchedWrites.class.getName() + "@" + System.identityHashCode(this);

    public BatchedWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void update(String sql, Object... args) {
        if (!CurrentUnitOfWork.isStarted()) {
            jdbc.update(sql, args);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        List<Pending> pending = batch.getOrComputeResource(key, k -> {
            List<Pending> writes = new ArrayList<>();
            batch.onPrepareCommit(u -> flush(writes));
            return writes;
        });
        pending.add(new Pending(sql, args));
    }

    /** Consecutive writes of the same statement go as one JDBC batch; the order of all writes is kept. */
    private void flush(List<Pending> pending) {
        int from = 0;
        while (from < pending.size()) {
            String sql = pending.get(from).sql();
            int to = from;
            List<Object[]> args = new ArrayList<>();
            while (to < pending.size() && pending.get(to).sql().equals(sql)) {
                args.add(pending.get(to).args());
                to++;
            }
            jdbc.batchUpdate(sql, args);
            from = to;
        }
        pending.clear();
    }

    private record Pending(String sql, Object[] args) {
    }
}
