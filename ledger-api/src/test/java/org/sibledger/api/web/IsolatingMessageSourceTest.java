package org.sibledger.api.web;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages' messages in Hebrew isolate their arguments (numbers, dates, amounts, ids) in one place, the message
 * source: a message's text holds a plain {@code {n}}, and what comes out holds the value between U+2068 and U+2069;
 * Hebrew words are left alone, a choice format still chooses, and English is untouched.
 */
class IsolatingMessageSourceTest {

    private static final Locale HEBREW = Locale.forLanguageTag("he");

    private final IsolatingMessageSource messages = messages();

    @Test
    void numbersAmountsDatesAndIdsAreIsolatedInHebrew() {
        // an id and a count: act.enrol.done={0} משתתפים נרשמו לקבוצה {1}.
        assertThat(messages.getMessage("act.enrol.done", new Object[]{12, "c1"}, HEBREW))
                .isEqualTo("\u206812\u2069 משתתפים נרשמו לקבוצה \u2068c1\u2069.");
        // an amount as the page writes money, a capital call's id, and a Hebrew date (a figure too)
        assertThat(messages.getMessage("inv.confirm.intro", new Object[]{"\u200f500.00\u00a0£", "call-7", "1 בפבר׳ 2019"},
                HEBREW)).isEqualTo("אתם משלמים \u2068\u200f500.00\u00a0£\u2069 לקריאת ההון \u2068call-7\u2069, עד"
                + " \u20681 בפבר׳ 2019\u2069, בשכבות אלה:");
        // a date as a value, a tranche's name
        assertThat(messages.getMessage("inv.commit.done", new Object[]{LocalDate.of(2026, 1, 31), "senior"}, HEBREW))
                .contains("\u20682026-01-31\u2069").contains("\u2068senior\u2069");
        // Hebrew words (a role) are no data: left as they are; what is isolated already is not isolated twice
        assertThat(messages.getMessage("act.party.done", new Object[]{"\u2068evaluator-2\u2069", "מעריך"}, HEBREW))
                .isEqualTo("\u2068evaluator-2\u2069 הוא כעת צד באגרה בתפקיד מעריך.");
        // a choice keeps choosing by the number
        assertThat(messages.getMessage("terms.notStructured", new Object[]{1}, HEBREW)).startsWith("דבר לא נבנה: שדה אחד דורש");
        assertThat(messages.getMessage("terms.notStructured", new Object[]{3}, HEBREW)).contains("3 שדות דורשים");
    }

    @Test
    void englishIsLeftAsItWas() {
        assertThat(messages.getMessage("act.enrol.done", new Object[]{12, "c1"}, Locale.ENGLISH))
                .doesNotContain("\u2068").contains("12").contains("c1");
    }

    /** The pages' words as application.yml's spring.messages configures them; also RefusalWordsTest's. */
    static IsolatingMessageSource messages() {
        IsolatingMessageSource messages = new IsolatingMessageSource();
        messages.setBasenames("messages", "terms-form");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return messages;
    }
}
