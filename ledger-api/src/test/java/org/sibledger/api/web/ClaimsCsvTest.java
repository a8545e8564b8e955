package org.sibledger.api.web;

import org.junit.jupiter.api.Test;
import org.sibledger.api.support.Terms;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A claims file is read row by row, and every message names the line a person sees in the file. */
class ClaimsCsvTest {

    private static final BondView BOND = bond();
    private static final Set<String> ENROLLED = Set.of("p-1", "p-2", "p-3");

    @Test
    void quotedFieldsMayHoldCommasAndQuotes() {
        ClaimsCsv.Result result = ClaimsCsv.read(BOND, ENROLLED,
                "\uFEFF\"participantRef\",\"metric\",\"achievedOn\",\"evidenceRef\"\r\n"
                        + "p-1,earns-768,2019-06-01,\"payslip 4, March\"\r\n"
                        + "\"p-2\", earns-768 ,2019-06-15,\"letter \"\"A\"\"\"\r\n");
        assertThat(result.errors()).isEmpty();
        assertThat(result.claims()).hasSize(2);
        assertThat(result.claims().get(0).evidenceRef()).isEqualTo("payslip 4, March");
        assertThat(result.claims().get(1).evidenceRef()).isEqualTo("letter \"A\"");
        assertThat(result.claims().get(1).metric()).isEqualTo("earns-768");
        assertThat(result.claims().get(1).achievedOn()).isEqualTo(LocalDate.parse("2019-06-15"));
        assertThat(result.lines()).containsExactly(2, 3);
    }

    @Test
    void everyBadRowIsNamedByItsLineAndNothingIsKept() {
        ClaimsCsv.Result result = ClaimsCsv.read(BOND, ENROLLED, """
                participantRef,metric,achievedOn,evidenceRef

                p-1,earns-768,2019-06-01,a
                p-9,earns-768,2019-06-01,b

                p-2,other,1 June,
                p-1,earns-768,2019-07-01,c
                p-3,earns-768
                "p-3,earns-768,2019-06-01,d
                """);
        assertThat(result.claims()).isEmpty();
        assertThat(result.lines()).isEmpty();
        assertThat(result.errors()).hasSize(5);
        assertThat(result.errors().get(0)).startsWith("4: participant 'p-9' is not enrolled");
        assertThat(result.errors().get(1)).startsWith("6: ").contains("metric 'other'").contains("achievedOn '1 June'")
                .contains("evidenceRef is required");
        assertThat(result.errors().get(2)).startsWith("7: ").contains("claimed twice");
        assertThat(result.errors().get(3)).startsWith("8: expected 4 columns").endsWith("found 2");
        assertThat(result.errors().get(4)).startsWith("9: ");
    }

    @Test
    void theBondsRefusalsNameTheLinesOfTheirClaimsAcrossBlankLines() {
        ClaimsCsv.Result result = ClaimsCsv.read(BOND, ENROLLED, "p-1,earns-768,2019-06-01,a\n\n\np-2,earns-768,2019-06-01,b\n");
        assertThat(result.lines()).containsExactly(1, 4);
        CommandRefusedException refused = new CommandRefusedException(CommandRefusedException.Kind.CONFLICT,
                "already-claimed", "claimed before", List.of(
                new CommandRefusedException.FieldViolation("/measurement/claims/1/participantRef", "already claimed"),
                new CommandRefusedException.FieldViolation("/evidenceRef", "too long")));
        assertThat(ClaimsCsv.rowsOf(refused, result.lines())).containsExactly("4: already claimed", "/evidenceRef: too long");
    }

    @Test
    void datesOutsideTheLedgersAreRefusedAtTheirRowsAndTheFirstAndLastDaysAreTaken() {
        ClaimsCsv.Result refused = ClaimsCsv.read(BOND, ENROLLED, """
                participantRef,metric,achievedOn,evidenceRef
                p-1,earns-768,2101-01-01,a
                p-2,earns-768,1999-12-31,b
                p-3,earns-768,2100-12-31,c
                """);
        assertThat(refused.claims()).isEmpty();
        // said by the file's reading, before the bond is asked (the Bond's own words are "must be from ..., not ...")
        assertThat(refused.errors()).containsExactly(
                "2: achievedOn '2101-01-01' is out of bounds: a date a command carries, from 2000-01-01 to 2100-12-31",
                "3: achievedOn '1999-12-31' is out of bounds: a date a command carries, from 2000-01-01 to 2100-12-31");
        ClaimsCsv.Result taken = ClaimsCsv.read(BOND, ENROLLED, "p-1,earns-768,2000-01-01,a\np-2,earns-768,2100-12-31,b\n");
        assertThat(taken.errors()).isEmpty();
        assertThat(taken.claims()).extracting(c -> c.achievedOn().toString()).containsExactly("2000-01-01", "2100-12-31");
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThat(ClaimsCsv.read(BOND, ENROLLED, "participantRef,metric,achievedOn,evidenceRef\n\n").errors())
                .containsExactly("1: the file holds no claims");
    }

    private static BondView bond() {
        try {
            BondTerms terms = ContractsJson.newMapper().readValue(Terms.rateCard("csv-bond"), BondTerms.class);
            return new BondView("csv-bond", terms.name(), "GBP", BondStatus.OPEN, terms, Instant.now(), "arranger", 3);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
