package org.sibledger.api.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.common.Money;
import org.springframework.context.i18n.LocaleContextHolder;

import java.time.LocalDate;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Money and dates as English and Hebrew readers write them, for the ledger's currencies, never rounded. */
class FormatsTest {

    private final Formats formats = new Formats();

    @AfterEach
    void reset() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void englishPagesWriteTheCurrencySymbolFirst() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        assertThat(formats.money(Money.of("1871540.00", "GBP"))).isEqualTo("£1,871,540.00");
        assertThat(formats.money(Money.of("422000.00", "USD"))).isEqualTo("US$422,000.00");
        assertThat(formats.money(Money.of("2300000.00", "ILS"))).isEqualTo("₪2,300,000.00");
        assertThat(formats.money(Money.of("0.125", "GBP"))).as("an exact amount is never rounded").isEqualTo("£0.125");
        assertThat(formats.date(LocalDate.parse("2026-11-23"))).isEqualTo("23 Nov 2026");
        assertThat(formats.dir()).isEqualTo("ltr");
    }

    @Test
    void hebrewPagesAreRightToLeftWithHebrewNumbersAndDates() {
        LocaleContextHolder.setLocale(Locale.forLanguageTag("he"));
        String shekels = formats.money(Money.of("2300000.00", "ILS"));
        assertThat(shekels).contains("2,300,000.00").contains("₪");
        assertThat(shekels.indexOf("₪")).as("the symbol follows the number in Hebrew").isGreaterThan(shekels.indexOf("2"));
        assertThat(formats.money(Money.of("2750.00", "GBP"))).contains("2,750.00").contains("£");
        assertThat(formats.date(LocalDate.parse("2026-11-23"))).contains("2026").contains("בנוב");
        assertThat(formats.dir()).isEqualTo("rtl");
        assertThat(formats.lang()).isEqualTo("he");
    }
}
