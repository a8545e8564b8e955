package org.sibledger.api.web;

import org.sibledger.contracts.common.CommandRefusedException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

import java.util.Locale;

/**
 * A refusal of the bond in the reader's words. The core refuses in English with a stable {@code code}; where the
 * pages have {@code refusal.<code>} in the reader's language (Hebrew, see messages_he.properties) they show it, and
 * otherwise the bond's own English words. Shown inside a right-to-left page, those English words are wrapped in
 * Unicode's first-strong isolate (U+2068 ... U+2069, what {@code <bdi>} does for an element), so the ids and numbers
 * in them keep their order and do not reorder the Hebrew around them.
 */
@Component
public class RefusalWords {

    static final char ISOLATE = '\u2068';
    static final char POP_ISOLATE = '\u2069';

    private final MessageSource messages;

    public RefusalWords(MessageSource messages) {
        this.messages = messages;
    }

    /** The refusal in words: its code's text where the pages know one in the reader's language, else its detail. */
    public String of(CommandRefusedException refusal) {
        return of(refusal.code(), refusal.getMessage());
    }

    /** The words for a refusal {@code code}, or the {@code english} detail, isolated on a right-to-left page. */
    public String of(String code, String english) {
        Locale locale = LocaleContextHolder.getLocale();
        String known = code == null ? null : messages.getMessage("refusal." + code, null, null, locale);
        return known != null ? known : isolated(english);
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
