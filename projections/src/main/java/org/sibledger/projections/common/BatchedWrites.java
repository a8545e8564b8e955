package org.sibledger.projections.common;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A read model's writes, sent to PostgreSQL as JDBC batches when the processor's batch of events commits instead of
 * one round trip per write; in the same transaction as the processor's token, so they are written exactly when the
 * token says they are. Outside an event processor's unit of work (a reset, a test) they are executed at once.
 * <p>
 * Each write names the rows it touches or reads, its keys (e.g. {@code "measurement|bond-1|m-7"}). Writes with a key
 * in common run in the order they were made; writes with none in common touch different rows and commute, so the
 * writes of a batch of events are grouped into as few JDBC batches as that order allows: every insert of a history row
 * in one batch, every status update in another, and so on. A write given no keys is ordered after every write before
 * it and before every write after it.
 * <p>
 * Only for writes whose effect no handler reads back from the database within the same batch of events, and whose
 * row counts are not needed: a handler that must see its own earlier writes keeps them in memory for the batch
 * ({@link #batchMemory}).
 * <p>
 * A batch whose writes fail at its commit cannot say which event they came from, and the dead-letter queue only guards
 * the handler's call. Such a batch is therefore rolled back and handled again {@linkplain #eventByEvent event by
 * event}: each event's writes are executed within its handler's call, so the one that fails is the one dead-lettered
 * (see the ledger's {@code ReadModelGuard}, which decides that and holds each call in a savepoint).
 */
public final class BatchedWrites {

    private final JdbcTemplate jdbc;
    private final String key = BatchedWrites.class.getName() + "@" + System.identityHashCode(this);

    public BatchedWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A write ordered after every earlier one and before every later one. */
    public void update(String sql, Object... args) {
        write(null, sql, args);
    }

    /** A write that touches (or reads) the rows named by {@code keys}; see the class. */
    public void update(List<?> keys, String sql, Object... args) {
        write(keys, sql, args);
    }

    private void write(List<?> keys, String sql, Object[] args) {
        if (!CurrentUnitOfWork.isStarted() || EVENT_BY_EVENT.get() != null) {
            jdbc.update(sql, args);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Plan plan = batch.getOrComputeResource(key, k -> {
            Plan writes = new Plan();
            batch.onPrepareCommit(u -> flush(writes));
            return writes;
        });
        plan.add(keys, sql, args);
    }

    private void flush(Plan plan) {
        for (Statement statement : plan.statements()) {
            if (statement.args().size() == 1) {
                jdbc.update(statement.sql(), statement.args().get(0));
            } else {
                jdbc.batchUpdate(statement.sql(), statement.args());
            }
        }
        plan.clear();
    }

    /**
     * A map kept for the current batch of events (the root unit of work) under {@code name}, for a handler to remember
     * what it has written but not yet flushed; outside a unit of work, an empty map each time. It is dropped with the
     * batch, so a batch rolled back leaves nothing behind.
     */
    @SuppressWarnings("unchecked")
    public static <K, V> Map<K, V> batchMemory(String name) {
        Map<String, Map<?, ?>> event = EVENT_BY_EVENT.get();
        if (event != null) {
            return (Map<K, V>) event.computeIfAbsent(name, k -> new HashMap<>());
        }
        if (!CurrentUnitOfWork.isStarted()) {
            return new HashMap<>();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(BatchedWrites.class.getName() + "#" + name,
                k -> new HashMap<>());
    }

    /** The memory of the event being handled event by event, while it is; null otherwise. */
    private static final ThreadLocal<Map<String, Map<?, ?>>> EVENT_BY_EVENT = new ThreadLocal<>();

    /**
     * Runs one event's handler with its writes executed at once, in the caller's transaction, rather than at the
     * batch's commit, and with a {@link #batchMemory} of its own (what it reads back is in the database by then). A
     * write that fails therefore fails the handler's call, where the dead-letter queue catches it; the caller holds
     * the call in a savepoint so that a failed event leaves nothing behind.
     */
    public static <T> T eventByEvent(java.util.concurrent.Callable<T> handler) throws Exception {
        Map<String, Map<?, ?>> outer = EVENT_BY_EVENT.get();
        EVENT_BY_EVENT.set(new HashMap<>());
        try {
            return handler.call();
        } finally {
            if (outer == null) {
                EVENT_BY_EVENT.remove();
            } else {
                EVENT_BY_EVENT.set(outer);
            }
        }
    }

    /** One JDBC batch: a statement and its rows of arguments, executed in order. */
    public record Statement(String sql, List<Object[]> args) {
    }

    /**
     * The grouping of writes into statements. A write joins the newest statement of the same SQL if that statement
     * comes at or after the last statement holding one of its keys (or, for a write without keys, the last statement of
     * all); otherwise it starts a new statement at the end.
     */
    public static final class Plan {

        private final List<Statement> statements = new ArrayList<>();
        private final Map<Object, Integer> lastByKey = new HashMap<>();
        private final Map<String, Integer> newestBySql = new HashMap<>();
        /** Every write must come at or after this statement: the place of the last write without keys. */
        private int floor = -1;

        public void add(List<?> keys, String sql, Object[] args) {
            int after = keys == null ? statements.size() - 1 : floor;
            if (keys != null) {
                for (Object key : keys) {
                    after = Math.max(after, lastByKey.getOrDefault(key, -1));
                }
            }
            Integer newest = newestBySql.get(sql);
            int at;
            if (newest != null && newest >= after) {
                at = newest;
            } else {
                at = statements.size();
                statements.add(new Statement(sql, new ArrayList<>()));
                newestBySql.put(sql, at);
            }
            statements.get(at).args().add(args);
            if (keys == null) {
                floor = at;
            } else {
                for (Object key : keys) {
                    lastByKey.put(key, at);
                }
            }
        }

        public List<Statement> statements() {
            return statements;
        }

        void clear() {
            statements.clear();
            lastByKey.clear();
            newestBySql.clear();
            floor = -1;
        }
    }
}
