package org.sibledger.core.bond;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.core.integrity.HashChain;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A social impact bond: the consistency boundary of everything that happens to one bond. Command handlers only
 * decide and apply; event sourcing handlers only change state. Every event is linked into the bond's hash chain.
 * Registered with Axon by the application, so that this module needs no Spring.
 */
public class Bond {

    @AggregateIdentifier
    private String bondId;
    private BondTerms terms;
    private long lastSequence = -1;
    private String lastHash = HashChain.GENESIS;

    protected Bond() {
        // for Axon
    }

    @CommandHandler
    public Bond(StructureBondCommand command, MetaData metaData) {
        String actor = Audit.requireActor(metaData);
        if (command.terms() == null) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-terms",
                    "A bond needs its terms document");
        }
        if (!command.bondId().equals(command.terms().bondId())) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-terms",
                    "The command's bond id '" + command.bondId() + "' differs from the terms' '"
                            + command.terms().bondId() + "'");
        }
        BondTermsRules.check(command.terms());
        if (!actor.equals(command.terms().parties().arranger())) {
            throw new CommandRefusedException(CommandRefusedException.Kind.FORBIDDEN, "not-the-arranger",
                    "Only the arranger named in the terms ('" + command.terms().parties().arranger()
                            + "') may structure this bond, not '" + actor + "'");
        }
        record(new BondStructuredEvent(command.bondId(), command.terms()), command.bondId(), metaData);
    }

    /** Applies an event with its audit metadata, chained to the previous event's hash. */
    private void record(Object event, String bondId, MetaData commandMetaData) {
        long sequence = lastSequence + 1;
        MetaData audit = Audit.of(commandMetaData);
        String hash = HashChain.hash(lastHash, bondId, sequence, event.getClass().getName(), event, audit);
        apply(event, audit.and(AuditMetadata.PREVIOUS_HASH, lastHash).and(AuditMetadata.HASH, hash));
    }

    @EventSourcingHandler
    void on(BondStructuredEvent event, @SequenceNumber long sequence, MetaData metaData) {
        chained(sequence, metaData);
        this.bondId = event.bondId();
        this.terms = event.terms();
    }

    /**
     * Moves the chain's head; every event sourcing handler calls it first, because Axon invokes only the most
     * specific handler of an event, so a catch-all handler would never run.
     */
    private void chained(long sequence, MetaData metaData) {
        this.lastSequence = sequence;
        this.lastHash = String.valueOf(metaData.get(AuditMetadata.HASH));
    }
}
