package org.sibledger.contracts.measurement;

public enum Decision {
    APPROVE, REJECT, DISPUTE
}
