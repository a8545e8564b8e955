package org.sibledger.api.security;

public enum Role {
    ARRANGER, INVESTOR, OUTCOME_PAYER, EVALUATOR, PROVIDER, ADMIN,
    /** The independent reviewer a bond's terms name, who resolves disputes. */
    REVIEWER
}
