package org.sibledger.core.bond;

import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.common.AuditMetadata;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.payout.SettlePayoutCommand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The idempotency keys a bond remembers are bounded: the most recent {@value BondChain#KEYS_KEPT}, oldest forgotten. */
class BondChainTest {

    @Test
    void aBondRemembersOnlyItsMostRecentIdempotencyKeys() {
        BondChain chain = new BondChain();
        int sent = BondChain.KEYS_KEPT + 25;
        for (int i = 0; i < sent; i++) {
            chain.on(settle(i), i, recorded("payer", "key-" + i, settle(i)));
        }

        assertThat(chain.keysRemembered()).isEqualTo(BondChain.KEYS_KEPT);
        // the newest are remembered: a retry is answered without a new event, a reuse for another command refused
        assertThat(chain.isRetry(settle(sent - 1), sent("payer", "key-" + (sent - 1)))).isTrue();
        assertThatThrownBy(() -> chain.isRetry(settle(0), sent("payer", "key-" + (sent - 1))))
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo("idempotency-key-reused"));
        assertThat(chain.isRetry(settle(25), sent("payer", "key-25"))).isTrue();
        // the oldest are forgotten: the command is decided again on its merits
        assertThat(chain.isRetry(settle(24), sent("payer", "key-24"))).isFalse();
        assertThat(chain.isRetry(settle(0), sent("payer", "key-0"))).isFalse();
    }

    @Test
    void aRetryOfTheSameKeyDoesNotCountTwice() {
        BondChain chain = new BondChain();
        for (int i = 0; i < 3; i++) {
            chain.on(settle(1), i, recorded("payer", "same", settle(1)));
        }
        chain.on(settle(1), 3, recorded("payer2", "same", settle(1)));
        assertThat(chain.keysRemembered()).as("one key per principal").isEqualTo(2);
    }

    private static SettlePayoutCommand settle(int i) {
        return new SettlePayoutCommand("bond", "po-" + i);
    }

    private static MetaData sent(String actor, String key) {
        return MetaData.with(AuditMetadata.ACTOR, actor).and(AuditMetadata.IDEMPOTENCY_KEY, key);
    }

    private static MetaData recorded(String actor, String key, Object command) {
        return sent(actor, key).and(Audit.COMMAND_FINGERPRINT, Audit.fingerprint(command)).and(AuditMetadata.HASH, "h");
    }
}
