package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;

import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sibledger.core.bond.BondBook.money;

/**
 * What an investor's pages read of a bond: its own commitments and its own share of each capital call (due, funded,
 * outstanding, due date), none of another investor's; whether commitments and withdrawals are taken now; and the
 * funding it would record, decided as the command decides it and recording nothing.
 */
class InvestorStandingTest {

    private static final String BOND = "standing";
    private static final LocalDate DUE = LocalDate.parse("2019-03-01");

    @Test
    void anInvestorReadsItsOwnCommitmentsAndCallsOnly() {
        BondHarness bond = new BondHarness(BondParties.admit(TestTerms.rateCard(BOND), PartyRole.INVESTOR, "investor2"));
        bond.inspect(b -> {
            InvestorStanding before = b.standingOf("investor");
            assertThat(before.commitments()).isEmpty();
            assertThat(before.calls()).isEmpty();
            assertThat(before.commitmentsOpen()).isTrue();
            assertThat(before.withdrawalsOpen()).isTrue();
        });
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("600000.00")));
        bond.run("investor2", new MakeCommitmentCommand(BOND, "investor2", "senior", money("200000.00")));
        bond.run("arranger", new OpenBondCommand(BOND));
        bond.run("arranger", new CallCapitalCommand(BOND, "call-1", money("400000.00"), DUE));
        bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money("100000.00")));

        bond.inspect(b -> {
            InvestorStanding mine = b.standingOf("investor");
            assertThat(mine.commitmentsOpen()).as("commitments close when the bond opens").isFalse();
            assertThat(mine.withdrawalsOpen()).isFalse();
            assertThat(mine.commitments()).singleElement().satisfies(c -> {
                assertThat(c.tranche()).isEqualTo("senior");
                assertThat(c.committed()).isEqualByComparingTo("600000.00");
                assertThat(c.called()).isEqualByComparingTo("300000.00");
                assertThat(c.funded()).isEqualByComparingTo("100000.00");
            });
            assertThat(mine.calls()).singleElement().satisfies(call -> {
                assertThat(call.callId()).isEqualTo("call-1");
                assertThat(call.dueDate()).isEqualTo(DUE);
                assertThat(call.due()).isEqualByComparingTo("300000.00");
                assertThat(call.funded()).isEqualByComparingTo("100000.00");
                assertThat(call.outstanding()).isEqualByComparingTo("200000.00");
            });
            assertThat(mine.openCalls()).hasSize(1);
            // the other investor's share is its own: 100,000 of the 400,000, nothing funded
            InvestorStanding other = b.standingOf("investor2");
            assertThat(other.commitments()).singleElement().satisfies(c -> assertThat(c.committed()).isEqualByComparingTo("200000.00"));
            assertThat(other.calls()).singleElement().satisfies(call -> {
                assertThat(call.due()).isEqualByComparingTo("100000.00");
                assertThat(call.outstanding()).isEqualByComparingTo("100000.00");
            });
            // a party with no position has nothing of anyone's
            assertThat(b.standingOf("payer").commitments()).isEmpty();
            assertThat(b.standingOf("payer").calls()).isEmpty();
        });

        // the preview is the command's own decision (funded on the day it is sent: the harness's next day), recording nothing
        FundCapitalCallCommand rest = new FundCapitalCallCommand(BOND, "call-1", "investor", money("200000.00"));
        AtomicReference<java.util.List<?>> previewed = new AtomicReference<>();
        int before = bond.history().size();
        bond.inspect(b -> previewed.set(b.previewFunding(rest, LocalDate.parse("2019-01-14"))));
        assertThat(bond.history()).hasSize(before);
        assertThat(BondHarness.payloads(bond.run("investor", rest))).containsExactlyElementsOf(previewed.get());
        bond.inspect(b -> {
            assertThat(b.standingOf("investor").openCalls()).isEmpty();
            assertThat(b.standingOf("investor").calls().get(0).funded()).isEqualByComparingTo("300000.00");
        });

        // and refuses as the command does: more than is outstanding, a call it has no share in
        FundCapitalCallCommand tooMuch = new FundCapitalCallCommand(BOND, "call-1", "investor2", money("100000.01"));
        bond.inspect(b -> assertThatThrownBy(() -> b.previewFunding(tooMuch, DUE))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.code()).isEqualTo("overfunding")));
        bond.refuses("investor2", tooMuch, "overfunding");
        bond.inspect(b -> assertThatThrownBy(() -> b.previewFunding(
                new FundCapitalCallCommand(BOND, "call-9", "investor", money("1.00")), DUE))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.code()).isEqualTo("unknown-capital-call")));
    }
}
