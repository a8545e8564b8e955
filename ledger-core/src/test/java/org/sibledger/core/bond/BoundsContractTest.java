package org.sibledger.core.bond;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds the edge applies to REST's request bodies (openapi.yaml's Amount, Figure, LedgerDate and the cohort's
 * size, applied by ledger-api's RequestBounds) are the Bond's {@link Bounds}: the largest value each allows is
 * within both, the next one within neither.
 */
class BoundsContractTest {

    private static final String OPEN_API = text();

    @Test
    void openApisAmountTakesWhatTheBondTakes() {
        Pattern amount = componentPattern("Amount");
        assertThat(amount.matcher(Bounds.LIMIT.subtract(new BigDecimal("0.01")).toPlainString()).matches()).isTrue();
        assertThat(Bounds.money("/amount", Bounds.LIMIT.subtract(new BigDecimal("0.01")))).isNull();
        assertThat(amount.matcher(Bounds.LIMIT.toPlainString()).matches()).isFalse();
        assertThat(Bounds.money("/amount", Bounds.LIMIT)).isNotNull();
    }

    @Test
    void openApisFigureTakesWhatTheBondTakes() {
        Pattern figure = componentPattern("Figure");
        BigDecimal largest = Bounds.LIMIT.subtract(BigDecimal.ONE.movePointLeft(Bounds.DECIMALS));
        assertThat(figure.matcher(largest.toPlainString()).matches()).isTrue();
        assertThat(Bounds.figure("/x", largest)).isNull();
        assertThat(figure.matcher(Bounds.LIMIT.toPlainString()).matches()).isFalse();
        assertThat(Bounds.figure("/x", Bounds.LIMIT)).isNotNull();
        BigDecimal finer = BigDecimal.ONE.movePointLeft(Bounds.DECIMALS + 1);
        assertThat(figure.matcher(finer.toPlainString()).matches()).isFalse();
        assertThat(Bounds.figure("/x", finer)).isNotNull();
    }

    @Test
    void openApisLedgerDateTakesWhatTheBondTakes() {
        Pattern date = componentPattern("LedgerDate");
        assertThat(date.matcher(Bounds.EARLIEST.toString()).matches()).isTrue();
        assertThat(date.matcher(Bounds.LATEST.toString()).matches()).isTrue();
        assertThat(date.matcher(Bounds.EARLIEST.minusDays(1).toString()).matches()).isFalse();
        assertThat(date.matcher(Bounds.LATEST.plusDays(1).toString()).matches()).isFalse();
        assertThat(Bounds.date("/d", Bounds.EARLIEST.minusDays(1))).isNotNull();
        assertThat(Bounds.date("/d", Bounds.LATEST.plusDays(1))).isNotNull();
    }

    @Test
    void openApisCohortSizeTakesWhatTheBondTakes() {
        Matcher size = Pattern.compile("\n    CohortRequest:\n(?:      .*\n|        .*\n|          .*\n)*?        size:\n"
                + "          type: integer\n          minimum: (\\d+)\n          maximum: (\\d+)\n").matcher(OPEN_API);
        assertThat(size.find()).as("CohortRequest.size in openapi.yaml").isTrue();
        assertThat(Long.parseLong(size.group(1))).isEqualTo(1);
        assertThat(Long.parseLong(size.group(2))).isEqualTo(Bounds.MAX_COUNT);
    }

    /** The pattern of a component schema of openapi.yaml, e.g. Amount's. */
    private static Pattern componentPattern(String name) {
        Matcher m = Pattern.compile("\n    " + name + ":\n(?:      (?!pattern:).*\n)*?      pattern: (.+)\n")
                .matcher(OPEN_API);
        assertThat(m.find()).as(name + "'s pattern in openapi.yaml").isTrue();
        return Pattern.compile(m.group(1).strip());
    }

    private static String text() {
        try (InputStream in = BoundsContractTest.class.getResourceAsStream("/openapi.yaml")) {
            assertThat(in).as("openapi.yaml").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
