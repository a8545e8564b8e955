package org.sibledger.api.projection;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of a read model are the event's (dead-lettered) and which the database's (the batch is retried). */
class ReadModelGuardTest {

    @Test
    void theDatabasesFailuresAreTransientTheEventsAreNot() {
        assertThat(ReadModelGuard.transientFailure(new DataAccessResourceFailureException("gone"))).isTrue();
        assertThat(ReadModelGuard.transientFailure(new RuntimeException(new SQLException("refused", "08001")))).isTrue();
        assertThat(ReadModelGuard.transientFailure(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(ReadModelGuard.transientFailure(new SQLException("canceled", "57014"))).isTrue();
        assertThat(ReadModelGuard.transientFailure(new DataIntegrityViolationException("check",
                new SQLException("check violation", "23514")))).isFalse();
        assertThat(ReadModelGuard.transientFailure(new SQLException("numeric field overflow", "22003"))).isFalse();
        assertThat(ReadModelGuard.transientFailure(new IllegalStateException("no such payout"))).isFalse();
    }
}
