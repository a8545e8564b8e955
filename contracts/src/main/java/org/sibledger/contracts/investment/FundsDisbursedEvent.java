package org.sibledger.contracts.investment;

import org.axonframework.serialization.Revision;

import java.math.BigDecimal;

/** The bond paid a service provider: money out. */
@Revision("1")
public record FundsDisbursedEvent(String bondId, String disbursementId, String providerId, BigDecimal amount) {
}
