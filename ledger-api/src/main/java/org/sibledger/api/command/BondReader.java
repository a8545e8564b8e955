package org.sibledger.api.command;

import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.sibledger.core.bond.Bond;
import org.springframework.stereotype.Component;

import java.util.function.Function;

/**
 * Asks a bond itself, loaded from its events and snapshot as a command would load it, in a unit of work that is
 * rolled back, so nothing is recorded: for what only the bond decides (what an approval would trigger, the variation
 * awaiting consent).
 */
@Component
public class BondReader {

    private final org.axonframework.config.Configuration axon;

    public BondReader(org.axonframework.config.Configuration axon) {
        this.axon = axon;
    }

    public <T> T read(String bondId, Function<Bond, T> question) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        try {
            return axon.repository(Bond.class).load(bondId).invoke(question);
        } finally {
            unitOfWork.rollback();
        }
    }
}
