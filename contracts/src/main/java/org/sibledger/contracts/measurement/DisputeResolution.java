package org.sibledger.contracts.measurement;

public enum DisputeResolution {
    UPHOLD, REJECT
}
