package org.sibledger.api.web;

import org.springframework.boot.autoconfigure.context.MessageSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.lang.Nullable;
import org.springframework.util.StringUtils;

import java.text.DateFormat;
import java.text.FieldPosition;
import java.text.Format;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;

/**
 * The pages' words (messages*.properties), whose arguments are isolated in a right-to-left language: every number,
 * date, amount, id or other left-to-right text a message is given as an argument is wrapped in Unicode's first-strong
 * isolate (U+2068 ... U+2069), so that inside a Hebrew sentence it keeps its own order and does not reorder the words
 * around it. That is done here, once, for every message the templates ({@code #{key(args)}}) and the code ask for,
 * rather than in each message's text: each plain {@code {n}} of a Hebrew message is written by {@link Isolated}. An
 * argument of Hebrew words without a figure (a status, a clause, which isolates its own data) is left as it is, as is
 * one already isolated; an argument with a format of its own ({@code {0,choice,...}}) keeps it.
 */
public class IsolatingMessageSource extends ResourceBundleMessageSource {

    static final char ISOLATE = '\u2068';
    static final char POP_ISOLATE = '\u2069';

    @Override
    @Nullable
    protected MessageFormat resolveCode(String code, Locale locale) {
        MessageFormat format = super.resolveCode(code, locale);
        if (format == null || !rightToLeft(locale)) {
            return format;
        }
        MessageFormat isolating;
        synchronized (format) {
            isolating = (MessageFormat) format.clone();
        }
        Format[] formats = isolating.getFormatsByArgumentIndex();
        for (int i = 0; i < formats.length; i++) {
            if (formats[i] == null) {
                isolating.setFormatByArgumentIndex(i, new Isolated(locale));
            }
        }
        return isolating;
    }

    static boolean rightToLeft(@Nullable Locale locale) {
        return locale != null && ("he".equals(locale.getLanguage()) || "iw".equals(locale.getLanguage()));
    }

    /**
     * One argument as {@link MessageFormat} writes an argument without a format (a number by the locale's number
     * format, a date by its date format, anything else as its text), isolated unless it is right-to-left text or
     * isolated already.
     */
    static final class Isolated extends Format {

        private final Locale locale;

        Isolated(Locale locale) {
            this.locale = locale;
        }

        @Override
        public StringBuffer format(Object argument, StringBuffer into, FieldPosition position) {
            return into.append(isolated(written(argument)));
        }

        private String written(Object argument) {
            if (argument instanceof Number number) {
                return NumberFormat.getInstance(locale).format(number);
            }
            if (argument instanceof Date date) {
                return DateFormat.getDateTimeInstance(DateFormat.SHORT, DateFormat.SHORT, locale).format(date);
            }
            return String.valueOf(argument);
        }

        @Override
        public Object parseObject(String source, ParsePosition position) {
            throw new UnsupportedOperationException("messages are written, never parsed");
        }
    }

    /**
     * Text isolated from the right-to-left text around it, unless it is right-to-left words (a status; a clause, with
     * no figure or with its figures isolated already) or isolated itself; a Hebrew date ("1 בפבר׳ 2019") or amount is
     * isolated as a figure.
     */
    static String isolated(String text) {
        boolean words = hasRightToLeftLetters(text)
                && (text.chars().noneMatch(Character::isDigit) || text.indexOf(ISOLATE) >= 0);
        if (text.isEmpty() || words || text.charAt(0) == ISOLATE && text.charAt(text.length() - 1) == POP_ISOLATE) {
            return text;
        }
        return ISOLATE + text + POP_ISOLATE;
    }

    /** Hebrew or Arabic letters; not a mark such as the RLM that Hebrew money begins with (U+200F 1,500.00 ₪). */
    private static boolean hasRightToLeftLetters(String text) {
        return text.codePoints().anyMatch(c -> {
            byte direction = Character.getDirectionality(c);
            return Character.isLetter(c) && (direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC);
        });
    }

    /**
     * The application's message source, configured by {@code spring.messages.*} as Spring Boot's own would be (which
     * backs off when one is declared).
     */
    @Configuration(proxyBeanMethods = false)
    static class Config {

        @Bean
        @ConfigurationProperties("spring.messages")
        MessageSourceProperties messageSourceProperties() {
            return new MessageSourceProperties();
        }

        @Bean
        MessageSource messageSource(MessageSourceProperties properties) {
            IsolatingMessageSource source = new IsolatingMessageSource();
            if (!properties.getBasename().isEmpty()) {
                source.setBasenames(properties.getBasename().stream()
                        .flatMap(names -> Arrays.stream(StringUtils.commaDelimitedListToStringArray(
                                StringUtils.trimAllWhitespace(names))))
                        .toArray(String[]::new));
            }
            if (properties.getEncoding() != null) {
                source.setDefaultEncoding(properties.getEncoding().name());
            }
            source.setFallbackToSystemLocale(properties.isFallbackToSystemLocale());
            if (properties.getCacheDuration() != null) {
                source.setCacheMillis(properties.getCacheDuration().toMillis());
            }
            source.setAlwaysUseMessageFormat(properties.isAlwaysUseMessageFormat());
            source.setUseCodeAsDefaultMessage(properties.isUseCodeAsDefaultMessage());
            return source;
        }
    }
}
