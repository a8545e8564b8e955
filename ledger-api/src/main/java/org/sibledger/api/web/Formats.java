package org.sibledger.api.web;

import org.sibledger.contracts.common.Money;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;

/**
 * Money and dates as the reader's locale writes them ({@code ₪1,234.50}, {@code £2,750.00}, {@code 23 Nov 2026}),
 * from the exact decimals: used in templates as {@code ${@formats.money(m)}}.
 */
@Component("formats")
public class Formats {

    public String money(Money money) {
        if (money == null) {
            return "";
        }
        return money(money.amount(), money.currency());
    }

    public String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "";
        }
        NumberFormat format = NumberFormat.getCurrencyInstance(locale());
        Currency code = Currency.getInstance(currency);
        format.setCurrency(code);
        int digits = Math.max(code.getDefaultFractionDigits(), 0);
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(Math.max(digits, amount.stripTrailingZeros().scale()));
        return format.format(amount);
    }

    /**
     * An amount as a person types it into a form: thousands separated by commas or spaces are allowed ("1,000.00",
     * "1 000.00"); anything else that is not a number throws {@link NumberFormatException}, for the form to say so.
     */
    public static BigDecimal typedAmount(String typed) {
        return new BigDecimal(typed.replace(",", "").replace(" ", ""));
    }

    public String number(BigDecimal value) {
        return value == null ? "" : NumberFormat.getNumberInstance(locale()).format(value);
    }

    public String date(LocalDate date) {
        return date == null ? "" : DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale()).format(date);
    }

    public String date(Instant instant) {
        return instant == null ? "" : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
                .withLocale(locale()).withZone(ZoneOffset.UTC).format(instant);
    }

    /**
     * Whether a dead letter's cause (an exception's class name) is the database refusing what a view wrote (a
     * constraint, a failed statement), which the pages tell apart from a view's own failure.
     */
    public boolean databaseCause(String causeType) {
        if (causeType == null) {
            return false;
        }
        String type = causeType.toLowerCase(Locale.ROOT);
        return type.contains(".dao.") || type.contains("sql") || type.contains("jdbc") || type.contains("constraint")
                || type.contains("persistence") || type.contains("hibernate");
    }

    /** "rtl" for Hebrew, "ltr" otherwise: the html element's dir. */
    public String dir() {
        return locale().getLanguage().equals("he") || locale().getLanguage().equals("iw") ? "rtl" : "ltr";
    }

    public String lang() {
        return dir().equals("rtl") ? "he" : "en";
    }

    /** Hebrew as written in Israel; English as written in the UK (day before month), the ledger's first market. */
    private static Locale locale() {
        String language = LocaleContextHolder.getLocale().getLanguage();
        return language.equals("he") || language.equals("iw") ? Locale.forLanguageTag("he-IL") : Locale.UK;
    }
}
