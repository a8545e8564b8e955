package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondParties;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.CapitalCalledEvent;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.DistributionMadeEvent;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.FundsDisbursedEvent;
import org.sibledger.contracts.investment.MakeCommitmentCommand;

import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sibledger.core.bond.BondBook.money;

/**
 * What the arranger's pages show before money moves is what the bond then records: each preview is the command's own
 * decision (the same event, the same refusal) and records nothing.
 */
class BondPreviewTest {

    private static final String BOND = "preview";
    private static final LocalDate DAY = LocalDate.parse("2019-04-01");

    @Test
    void aPreviewIsWhatTheCommandRecordsAndRecordsNothing() {
        BondHarness bond = new BondHarness(BondParties.admit(TestTerms.rateCard(BOND), PartyRole.INVESTOR, "investor2"));
        bond.run("investor", new MakeCommitmentCommand(BOND, "investor", "senior", money("600000.00")));
        bond.run("investor2", new MakeCommitmentCommand(BOND, "investor2", "senior", money("200000.00")));
        bond.run("arranger", new OpenBondCommand(BOND));

        CallCapitalCommand call = new CallCapitalCommand(BOND, "call-1", money("400000.00"), DAY);
        AtomicReference<CapitalCalledEvent> previewed = new AtomicReference<>();
        int before = bond.history().size();
        bond.inspect(b -> previewed.set(b.previewCapitalCall(call)));
        assertThat(bond.history()).hasSize(before);
        assertThat(previewed.get().allocations()).hasSize(2);
        assertThat(BondHarness.payloads(bond.run("arranger", call))).containsExactly(previewed.get());

        bond.run("investor", new FundCapitalCallCommand(BOND, "call-1", "investor", money("300000.00")));
        bond.run("investor2", new FundCapitalCallCommand(BOND, "call-1", "investor2", money("100000.00")));
        bond.inspect(b -> assertThat(b.cashHeld()).isEqualByComparingTo("400000.00"));

        DisburseFundsCommand disburse = new DisburseFundsCommand(BOND, "d-1", "provider", money("150000.00"));
        AtomicReference<FundsDisbursedEvent> disbursed = new AtomicReference<>();
        bond.inspect(b -> disbursed.set(b.previewDisbursement(disburse)));
        assertThat(BondHarness.payloads(bond.run("arranger", disburse))).containsExactly(disbursed.get());

        DistributeCommand distribute = new DistributeCommand(BOND, "dist-1", money("200000.00"), DAY.plusYears(1));
        AtomicReference<DistributionMadeEvent> waterfall = new AtomicReference<>();
        bond.inspect(b -> waterfall.set(b.previewDistribution(distribute)));
        assertThat(waterfall.get().lines()).extracting(l -> l.investorId()).containsExactlyInAnyOrder("investor", "investor2");
        assertThat(BondHarness.payloads(bond.run("arranger", distribute))).containsExactly(waterfall.get());

        // a preview refuses as the command does: more than the cash held, a guarantee call before maturity
        DistributeCommand tooMuch = new DistributeCommand(BOND, "dist-2", money("60000.00"), DAY.plusYears(1));
        bond.inspect(b -> assertThatThrownBy(() -> b.previewDistribution(tooMuch))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.code()).isEqualTo("insufficient-cash")));
        bond.refuses("arranger", tooMuch, "insufficient-cash");
        bond.inspect(b -> assertThatThrownBy(() -> b.previewGuaranteeCall(new CallGuaranteeCommand(BOND, DAY)))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.code()).isEqualTo("bond-open")));
        bond.run("arranger", new MatureBondCommand(BOND));
        bond.inspect(b -> assertThatThrownBy(() -> b.previewCapitalCall(new CallCapitalCommand(BOND, "call-2", money("1.00"), DAY)))
                .isInstanceOfSatisfying(CommandRefusedException.class, e -> assertThat(e.code()).isEqualTo("bond-matured")));
    }
}
