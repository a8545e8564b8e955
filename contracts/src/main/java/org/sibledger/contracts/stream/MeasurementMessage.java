package org.sibledger.contracts.stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An evaluator's measurement on {@code sib.measurements.v1}, keyed by bond id: the measurement is the REST
 * submission body (its {@code type} and fields, optional {@code measurementId}, {@code evidenceRef},
 * {@code supersedes}). Delivery is at least once; the idempotency key makes a redelivery a no-op.
 */
public record MeasurementMessage(String idempotencyKey, String evaluatorId, String bondId, JsonNode measurement) {

    public static final String TOPIC = "sib.measurements.v1";
    public static final String REJECTED_TOPIC = "sib.measurements.v1.rejected";
}
