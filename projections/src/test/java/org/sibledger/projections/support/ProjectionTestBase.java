package org.sibledger.projections.support;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

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
}
