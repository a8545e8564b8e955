package org.sibledger.api.security;

public enum Role {
    ARRANGER, INVESTOR, OUTCOME_PAYER, EVALUATOR, PROVIDER, ADMIN
}
