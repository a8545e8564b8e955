package org.sibledger.api.web;

import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.Money;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

import java.text.MessageFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * A refusal of the bond in the reader's words. The core refuses in English with a stable {@code code}, and names
 * what the English names (ids, amounts, dates, counts, statuses) as the refusal's {@code arguments}, said by its
 * {@code wording} (the code, or {@code code.variant}). Where the pages have {@code refusal.<wording>} (else
 * {@code refusal.<code>}) in the reader's language (Hebrew, messages_he.properties; English pages have none and show
 * the bond's own words), they show it with those arguments: each a MessageFormat pattern, whose amounts are written
 * as the reader's locale writes money, statuses in the reader's words, and every id, amount, date and number
 * isolated (U+2068 ... U+2069, what {@code <bdi>} does for an element) so that it keeps its order inside
 * right-to-left text. Shown inside a right-to-left page, the bond's English words are isolated the same way.
 */
@Component
public class RefusalWords {

    static final char ISOLATE = '\u2068';
    static final char POP_ISOLATE = '\u2069';

    private final MessageSource messages;
    private final Formats formats;

    public RefusalWords(MessageSource messages, Formats formats) {
        this.messages = messages;
        this.formats = formats;
    }

    /** The refusal in words: its wording's text where the pages know one in the reader's language, else its detail. */
    public String of(CommandRefusedException refusal) {
        String words = known(refusal);
        return words != null ? words : isolated(refusal.getMessage());
    }

    /**
     * The words at one of the refusal's fields: the refusal's own text where the pages know one and the field is the
     * one its arguments are about (the first), else what the bond says of that field, isolated on a right-to-left page.
     */
    public String at(CommandRefusedException refusal, CommandRefusedException.FieldViolation violation) {
        String words = refusal.violations().indexOf(violation) <= 0 ? known(refusal) : null;
        return words != null ? words : isolated(violation.message());
    }

    /**
     * The text of the refusal in the reader's language, with its arguments: its wording's, else its code's where that
     * names no more than the refusal gives; null where the pages know none.
     */
    String known(CommandRefusedException refusal) {
        Locale locale = LocaleContextHolder.getLocale();
        Object[] arguments = refusal.arguments().stream().map(this::shown).toArray();
        for (String key : List.of("refusal." + refusal.wording(), "refusal." + refusal.code())) {
            String pattern = messages.getMessage(key, null, null, locale);
            if (pattern != null) {
                MessageFormat format = new MessageFormat(pattern, locale);
                if (format.getFormatsByArgumentIndex().length <= arguments.length) {
                    return format.format(arguments);
                }
            }
        }
        return null;
    }

    /** An argument as the sentence shows it: a status or role in words; money, dates, ids and numbers isolated. */
    private String shown(Object argument) {
        if (argument instanceof Enum<?> value) {
            String word = messages.getMessage(wordKey(value), null, null, LocaleContextHolder.getLocale());
            return word != null ? word : isolated(value.name());
        }
        if (argument instanceof Money money) {
            return isolated(formats.money(money));
        }
        if (argument instanceof LocalDate date) {
            return isolated(date.toString());
        }
        return isolated(String.valueOf(argument));
    }

    /** The message key of a status or role: the bond's statuses, the parties' roles, else a measurement's or payout's. */
    private static String wordKey(Enum<?> value) {
        if (value instanceof BondStatus) {
            return "bondStatus." + value.name();
        }
        if (value instanceof PartyRole) {
            return "act.role." + value.name();
        }
        return "status." + value.name();
    }

    /** Text in the bond's own (left-to-right) words, isolated when the page reads right to left. */
    static String isolated(String text) {
        if (text == null || text.isEmpty() || !rightToLeft()) {
            return text;
        }
        return ISOLATE + text + POP_ISOLATE;
    }

    static boolean rightToLeft() {
        return "he".equals(LocaleContextHolder.getLocale().getLanguage())
                || "iw".equals(LocaleContextHolder.getLocale().getLanguage());
    }
}
