package org.sibledger.core.bond;

import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.core.integrity.HashChain;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BondStructuringTest {

    private static final MetaData BY_ARRANGER = MetaData.from(Map.of(
            AuditMetadata.ACTOR, "arranger",
            AuditMetadata.OCCURRED_AT, "2026-01-05T10:00:00Z",
            AuditMetadata.IDEMPOTENCY_KEY, "key-1"));

    private AggregateTestFixture<Bond> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Bond.class);
    }

    @Test
    void theArrangerStructuresABondAndTheEventOpensItsHashChain() {
        BondTerms terms = TestTerms.rateCard("reboot-west");
        fixture.givenNoPriorActivity()
                .when(new StructureBondCommand("reboot-west", terms), BY_ARRANGER)
                .expectSuccessfulHandlerExecution()
                .expectEvents(new BondStructuredEvent("reboot-west", terms));
        var event = fixture.getEventStore().readEvents("reboot-west").asStream().toList().get(0);
        MetaData meta = event.getMetaData();
        assertThat(meta.get(AuditMetadata.ACTOR)).isEqualTo("arranger");
        assertThat(meta.get(AuditMetadata.OCCURRED_AT)).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(meta.get(AuditMetadata.IDEMPOTENCY_KEY)).isEqualTo("key-1");
        assertThat(meta.get(AuditMetadata.PREVIOUS_HASH)).isEqualTo(HashChain.GENESIS);
        assertThat(meta.get(AuditMetadata.HASH)).isEqualTo(HashChain.hash(HashChain.GENESIS, "reboot-west", 0,
                BondStructuredEvent.class.getName(), event.getPayload(), meta));
    }

    @Test
    void onlyTheArrangerNamedInTheTermsMayStructure() {
        fixture.givenNoPriorActivity()
                .when(new StructureBondCommand("reboot-west", TestTerms.rateCard("reboot-west")),
                        MetaData.with(AuditMetadata.ACTOR, "investor"))
                .expectException(CommandRefusedException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("Only the arranger named in the terms"))
                .expectNoEvents();
    }

    @Test
    void aCommandWithoutAnActorIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new StructureBondCommand("reboot-west", TestTerms.rateCard("reboot-west")))
                .expectException(CommandRefusedException.class)
                .expectNoEvents();
    }

    @Test
    void inconsistentTermsAreRefusedWithEveryViolation() {
        BondTerms good = TestTerms.rateCard("reboot-west");
        BondTerms bad = new BondTerms("reboot-west", good.name(), "ABC", good.contractCap(), good.serviceEnd(),
                good.serviceStart(), good.parties(), List.of(new BondTerms.Metric("other", "Other", false)),
                good.paymentMechanism(), good.investorTerms());
        fixture.givenNoPriorActivity()
                .when(new StructureBondCommand("reboot-west", bad), BY_ARRANGER)
                .expectNoEvents()
                .expectException(CommandRefusedException.class)
                .expectException(new org.hamcrest.CustomTypeSafeMatcher<CommandRefusedException>("three violations") {
                    @Override
                    protected boolean matchesSafely(CommandRefusedException e) {
                        return e.violations().stream().map(CommandRefusedException.FieldViolation::pointer).toList()
                                .equals(List.of("/currency", "/serviceEnd", "/paymentMechanism/prices/0/metric"));
                    }
                });
    }

    @Test
    void theCommandsBondIdMustBeTheTermsBondId() {
        fixture.givenNoPriorActivity()
                .when(new StructureBondCommand("another-id", TestTerms.rateCard("reboot-west")), BY_ARRANGER)
                .expectException(CommandRefusedException.class)
                .expectNoEvents();
    }
}
