package org.sibledger.api.embedded;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unreachable or misconfigured PostgreSQL or Kafka into Spring Boot's short "failed to start" report. */
public class InfrastructureFailureAnalyzer extends AbstractFailureAnalyzer<InfrastructureUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InfrastructureUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
