package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.LocalDate;

/**
 * The arranger proposes a contract variation: new terms from a date, with the reason. It takes effect only when every
 * party whose consent it needs has consented by its own command ({@link ConsentToAmendmentCommand}).
 */
public record ProposeAmendmentCommand(@TargetAggregateIdentifier String bondId, String proposalId, BondTerms terms,
                                      String reason, LocalDate effectiveFrom) {
}
