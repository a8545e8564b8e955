package org.sibledger.projections.support;

import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every projection's test starts from: a database of its own per test class (the application's migrations),
 * emptied before each test, the projection under test alone, the processor that feeds it as the ledger's does, and a
 * stream of events whose clock starts at {@link #START}.
 */
public abstract class ProjectionTestBase<P> {

    protected static final Instant START = Instant.parse("2024-03-01T09:00:00Z");

    protected static ReadModelDatabase database;
    protected P projection;
    protected ProjectionProcessor processor;
    protected EventStream stream;

    @BeforeAll
    static void database() {
        database = ReadModelDatabase.create();
    }

    @BeforeEach
    void empty() {
        database.emptyReadModels();
        projection = newProjection(database.jdbc());
        processor = new ProjectionProcessor(projection, database);
        stream = new EventStream(START);
    }

    /** The projection under test, writing through {@code jdbc}. */
    protected abstract P newProjection(JdbcTemplate jdbc);

    /** The events of {@code history} for the bonds r-1, r-2 and r-3, one bond after the other. */
    protected static List<EventMessage<?>> ofThreeBonds(Function<String, List<EventMessage<?>>> history) {
        List<EventMessage<?>> events = new ArrayList<>();
        for (String bondId : List.of("r-1", "r-2", "r-3")) {
            events.addAll(history.apply(bondId));
        }
        return events;
    }

    /**
     * Delivers {@code events} in batches of {@code batchSize}, finds {@code rows} rows in {@code table}, resets the
     * projection (which empties {@code emptied}) and delivers them again at once: the same rows as the first time.
     */
    protected void assertReplayRebuildsTheSameRows(List<EventMessage<?>> events, int batchSize, String table, int rows,
                                                   String emptied) {
        processor.deliverInBatches(events, batchSize);
        Map<String, List<String>> live = database.rows();
        assertThat(live.get(table)).hasSize(rows);

        processor.reset();
        assertThat(database.rows().get(emptied)).isEmpty();
        processor.deliver(events);
        assertThat(database.rows()).isEqualTo(live);
    }
}
