package org.sibledger.contracts.bond;

public enum BondStatus {
    STRUCTURED, OPEN, MATURED, CLOSED
}
