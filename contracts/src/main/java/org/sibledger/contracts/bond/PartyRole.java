package org.sibledger.contracts.bond;

public enum PartyRole {
    INVESTOR, EVALUATOR, SERVICE_PROVIDER
}
