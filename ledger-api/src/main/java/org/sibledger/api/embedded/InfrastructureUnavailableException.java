package org.sibledger.api.embedded;

/** PostgreSQL or Kafka cannot be used; {@code action} tells the operator what to do about it. */
public class InfrastructureUnavailableException extends RuntimeException {

    private final String action;

    public InfrastructureUnavailableException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }
}
