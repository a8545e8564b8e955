package org.sibledger.contracts.bond;

public enum PartyRole {
    INVESTOR, EVALUATOR, SERVICE_PROVIDER,
    /** The bond's independent reviewer, who resolves disputes between a payer and an evaluated result. */
    REVIEWER
}
