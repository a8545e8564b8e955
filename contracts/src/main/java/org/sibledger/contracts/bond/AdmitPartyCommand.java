package org.sibledger.contracts.bond;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The arranger admits another investor, evaluator or service provider to the bond. */
public record AdmitPartyCommand(@TargetAggregateIdentifier String bondId, PartyRole role, String partyId) {
}
