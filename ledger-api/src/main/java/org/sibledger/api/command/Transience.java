package org.sibledger.api.command;

/**
 * Whether a failure will likely pass by itself: the database or the broker away or slow, a lost race on a bond,
 * however Spring, Axon or the JDBC driver wrapped it. The REST API answers such a failure 503 (retry later); the
 * Kafka intake retries it without end, while any other failure is a fault of the message or of the ledger, and
 * retrying it forever would block every message behind it.
 */
public final class Transience {

    private Transience() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.springframework.dao.DataAccessResourceFailureException
                    || cause instanceof org.springframework.dao.TransientDataAccessException
                    || cause instanceof org.springframework.dao.RecoverableDataAccessException
                    || cause instanceof org.springframework.transaction.CannotCreateTransactionException
                    || cause instanceof java.sql.SQLTransientException
                    || cause instanceof java.sql.SQLRecoverableException
                    || cause instanceof java.net.ConnectException
                    || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.RetriableException
                    || cause instanceof org.axonframework.common.AxonTransientException
                    || cause instanceof org.axonframework.eventsourcing.eventstore.EventStoreException
                    || cause instanceof org.axonframework.common.jdbc.JdbcException) {
                return true;
            }
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return true; // connection exceptions
            }
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                    && sql.getMessage().contains("onnection is closed")) {
                return true; // the pool's proxy of a connection the server has terminated, which names no state
            }
            if (cause instanceof AssertionError && cause.getStackTrace().length > 0
                    && cause.getStackTrace()[0].getClassName().startsWith("org.postgresql.")) {
                // pgjdbc's own assertion when the server terminates the connection in the middle of a batch
                return true;
            }
        }
        return false;
    }
}
