package org.sibledger.api.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.common.CommandRefusedException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.support.ResourceBundleMessageSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of a waterfall's lines and the bond's refusals, as the pages say them: in English as the bond recorded
 * them; in Hebrew in the pages' words where they know the shape or the code, with the amounts as the page writes
 * money and ids and the bond's own English isolated (U+2068 ... U+2069) from the right-to-left text.
 */
class RuleWordsTest {

    private static final ResourceBundleMessageSource MESSAGES = new ResourceBundleMessageSource();

    static {
        MESSAGES.setBasenames("messages", "terms-form");
        MESSAGES.setDefaultEncoding("UTF-8");
        MESSAGES.setFallbackToSystemLocale(false);
    }

    private final RuleWords words = new RuleWords(MESSAGES, new Formats());
    private final RefusalWords refusals = new RefusalWords(MESSAGES, new Formats());

    @AfterEach
    void english() {
        LocaleContextHolder.resetLocaleContext();
    }

    private static final String CAPPED = "tranche 'senior' (rank 1, SENIOR): principal GBP 2000.00 of GBP 10000.00"
            + " outstanding, pro rata to funded principal; return GBP 150.00 of GBP 150.00 the 15% IRR cap allows";
    private static final String REPAID = "tranche 'junior' (rank 2, SUBORDINATE, pari passu): principal already repaid;"
            + " return GBP 10.50, uncapped";
    private static final String EXCESS = "excess above the return caps, pro rata to funded principal GBP 3000.00";
    private static final String GUARANTEE = "guarantee 'guarantee' covers 75% of funded principal: investor in 'senior'"
            + " is owed GBP 10000.00 of principal, covered up to GBP 7500.00, receives GBP 7500.00; guarantor investor2"
            + " pays pro rata to uncalled guarantee commitments";

    @Test
    void inEnglishTheRuleIsAsRecorded() {
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        assertThat(words.of(CAPPED)).isEqualTo(CAPPED);
        assertThat(words.of(null)).isEmpty();
        assertThat(words.excessTo("OUTCOME_PAYERS")).isEqualTo("The outcome payers");
    }

    @Test
    void inHebrewEachShapeIsSaidInTheReadersWords() {
        LocaleContextHolder.setLocale(Locale.forLanguageTag("he"));
        String capped = words.of(CAPPED);
        assertThat(capped).startsWith("שכבה \u2068senior\u2069 (דירוג \u20681\u2069, בכירה): קרן ")
                .contains("10,000.00").contains("שטרם הוחזרו, יחסית לקרן שמומנה; תשואה ")
                .contains("שתקרת התשואה השנתית (IRR) של \u206815%\u2069 מתירה").doesNotContain("GBP");
        assertThat(words.of(REPAID)).contains("נחותה, בדרגה שווה (פרי פסו)").contains("הקרן כבר הוחזרה")
                .contains("10.50").endsWith(", ללא תקרה");
        assertThat(words.of(EXCESS)).startsWith("עודף מעל תקרות התשואה, יחסית לקרן שמומנה").contains("3,000.00");
        assertThat(words.of(GUARANTEE)).startsWith("ערבות \u2068guarantee\u2069 מכסה \u206875%\u2069 מהקרן שמומנה: ל-\u2068investor\u2069")
                .contains("7,500.00").contains("הערב \u2068investor2\u2069 משלם");
        // a shape the pages do not know is the bond's words, isolated
        assertThat(words.of("something new")).isEqualTo("\u2068something new\u2069");
        assertThat(words.excessTo("INVESTORS_PRO_RATA")).isEqualTo("המשקיעים, באופן יחסי");
    }

    @Test
    void aPayoutsRuleIsSaidPartByPartAndAnUnknownPartStaysAsRecorded() {
        String rateCard = "rate card: earns-768 at GBP 2750.00 (terms version 2) for participant p-1;"
                + " capped by participant cap GBP 5000.00; payer pays share 0.6; capped by payer's commitment GBP 1000.00;"
                + " capped by contract cap GBP 9000.00";
        String graduated = "graduated: m1 0.35 reaches the tier from 0.3, paying GBP 1000.00 in all, less GBP 500.00"
                + " already due for a lower tier; then share of savings: something new; less GBP 10.00 booked before";
        String cohort = "threshold vs comparison: c1 12 vs 20 per 100, improvement 40.00% reaches the cohort threshold"
                + " 10.00%; 8 units improved at GBP 700.00; capped by the mechanism cap GBP 3000.00";
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        assertThat(words.of(rateCard)).isEqualTo(rateCard);
        LocaleContextHolder.setLocale(Locale.forLanguageTag("he"));
        assertThat(words.of(rateCard)).startsWith("מחירון: \u2068earns-768\u2069 במחיר ").contains("(גרסת תנאים \u20682\u2069)")
                .contains("עבור המשתתף \u2068p-1\u2069; הוגבל בתקרה למשתתף ").contains("; \u2068payer\u2069 משלם חלק של \u20680.6\u2069; ")
                .contains("הוגבל בהתחייבות של \u2068payer\u2069, ").contains("הוגבל בתקרת החוזה ").contains("9,000.00")
                .doesNotContain("capped").doesNotContain("GBP");
        assertThat(words.of(graduated)).startsWith("מדורג: \u2068m1\u2069 הגיע ל-\u20680.35\u2069")
                .contains(", פחות ").contains("ואחר כך \u2068share of savings: something new\u2069; פחות ")
                .contains("שנרשמו קודם");
        assertThat(words.of(cohort)).startsWith("סף מול קבוצת השוואה: \u2068c1\u2069 \u206812\u2069 מול \u206820\u2069")
                .contains("\u20688\u2069 יחידות שיפור במחיר ").contains("הוגבל בתקרת המנגנון ").doesNotContain("units");
    }

    @Test
    void aShareOfSavingsAndACreditAreSaidInHebrewToo() {
        String repayment = "share of savings: cumulative savings GBP 50000.00 at 40.00% until investors have received"
                + " GBP 11000.00 (funded capital GBP 10000.00 x (1 + 10.00%), simple interest), then 10.00% (terms version 2)"
                + " gives GBP 20000.00 in all, less GBP 5000.00 already due; capped by the mechanism cap GBP 15000.00";
        String tiers = "share of savings: cumulative savings GBP 50000.00 through tiers 50.00% up to GBP 20000.00,"
                + " 20.00% beyond gives GBP 16000.00 in all";
        String credit = "credit of GBP 250.00 paid above what is now due (rate card: m1 at GBP 100.00 for participant p-1;"
                + " then rate card: m1 at GBP 50.00 for participant p-2), set off against this payer's next payout of the bond";
        LocaleContextHolder.setLocale(Locale.forLanguageTag("he"));
        assertThat(words.of(repayment)).startsWith("חלק מהחיסכון: חיסכון מצטבר של ").contains("בשיעור \u206840.00%\u2069 עד שהמשקיעים קיבלו")
                .contains("ריבית פשוטה), ואחר כך \u206810.00%\u2069").contains("(גרסת תנאים \u20682\u2069)")
                .contains("20,000.00").contains(", פחות ").contains("; הוגבל בתקרת המנגנון ").doesNotContain("GBP")
                .doesNotContain("savings");
        assertThat(words.of(tiers)).contains("לפי מדרגות: \u206850.00%\u2069 עד ").contains("\u206820.00%\u2069 מעבר לכך")
                .doesNotContain("tiers");
        assertThat(words.of(credit)).startsWith("זיכוי של ").contains("(מחירון: \u2068m1\u2069 במחיר ")
                .contains("; ואחר כך מחירון: ").endsWith("), מקוזז מהתשלום הבא של המשלם הזה באגרה");
    }

    @Test
    void aRefusalIsTranslatedByItsCodeOrIsolatedAsTheBondSaidIt() {
        CommandRefusedException known = new CommandRefusedException(CommandRefusedException.Kind.CONFLICT,
                "already-consented", "'payer' consented to proposal 'amendment-1' already")
                        .with("payer", "amendment-1");
        CommandRefusedException unknown = new CommandRefusedException(CommandRefusedException.Kind.CONFLICT,
                "something-new", "Cohort 'c1' has room for 3 more participant(s)");
        LocaleContextHolder.setLocale(Locale.ENGLISH);
        assertThat(refusals.of(known)).isEqualTo("'payer' consented to proposal 'amendment-1' already");
        assertThat(refusals.of(unknown)).isEqualTo("Cohort 'c1' has room for 3 more participant(s)");
        LocaleContextHolder.setLocale(Locale.forLanguageTag("he"));
        assertThat(refusals.of(known)).isEqualTo("\u2068payer\u2069 כבר הסכים לשינוי \u2068amendment-1\u2069.");
        assertThat(refusals.of(unknown)).isEqualTo("\u2068Cohort 'c1' has room for 3 more participant(s)\u2069");
    }
}
