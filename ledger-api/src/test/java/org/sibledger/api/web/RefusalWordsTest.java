package org.sibledger.api.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sibledger.contracts.bond.BondStatus;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.Money;
import org.springframework.context.i18n.LocaleContextHolder;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal the ledger can give has its words in Hebrew: each code the core, the contracts and the API refuse with
 * (found in their sources, as a reader greps them: the bond's refusals, the API's problems, the codes built from a
 * status or a role), and each variant sentence a refusal is said by ({@code .worded("variant", ...)}), has
 * {@code refusal.<code>} (and {@code refusal.<code>.<variant>}) in messages_he.properties, a pattern MessageFormat
 * reads. A refusal's figures are said in the Hebrew too, each isolated.
 */
class RefusalWordsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern CODE = Pattern.compile(
            "(?:\\b(?:invalid|conflict|forbidden|notFound|refusal)\\(\\s*(?:\"([a-z][a-z0-9-]+)\"(?=\\s*,)|Bounds\\.([A-Z_]+))"
                    + "|Kind\\.[A-Z_]+,\\s*\"([a-z][a-z0-9-]+)\"(?=\\s*,)"
                    + "|HttpStatus\\.[A-Z_]+,\\s*(?:[^;]*\\?\\s*)?\"([a-z][a-z0-9-]+)\"(?:\\s*:\\s*\"([a-z][a-z0-9-]+)\")?"
                    + "|case \\d+ -> \"([a-z][a-z0-9-]+)\""
                    + "|new OutOfRange\\(([A-Z_]+),)");
    private static final Pattern VARIANT = Pattern.compile("\\.worded\\(\"([a-z][a-z0-9-]*)\"");
    private static final Pattern OUT_OF_RANGE_VARIANT = Pattern.compile(",\\s*\"([a-z]+)\"\\s*[,)]");
    private static final Pattern CONSTANT = Pattern.compile("static final String ([A-Z_]+) = \"([a-z-]+)\"");

    private final RefusalWords refusals = new RefusalWords(IsolatingMessageSourceTest.messages(), new Formats());

    @AfterEach
    void englishAgain() {
        LocaleContextHolder.resetLocaleContext();
    }

    @Test
    void everyRefusalCodeAndVariantHasHebrewWords() throws IOException {
        Set<String> wordings = wordings();
        // what the sources cannot show by a literal: bond-<status> (BondState) and not-a(n)-<role> (Authority)
        for (BondStatus status : BondStatus.values()) {
            wordings.add("bond-" + status.name().toLowerCase(Locale.ROOT));
        }
        // ... said for a bond that has ended (requireNotEnded, a disbursement) or cannot distribute (previewDistribution)
        wordings.addAll(List.of("bond-matured.ended", "bond-closed.ended", "bond-structured.distribute",
                "bond-closed.distribute"));
        for (PartyRole role : PartyRole.values()) {
            String name = role.name().toLowerCase(Locale.ROOT).replace('_', '-');
            String code = ("aeiou".indexOf(name.charAt(0)) >= 0 ? "not-an-" : "not-a-") + name;
            wordings.add(code);
            wordings.add(code + ".named");
        }
        // found in the sources at all: the core's, a status-built one, the API's problems, the HTTP statuses'
        assertThat(wordings).contains("overfunding", "cohort-full", "outside-outcome-window", "amount-out-of-range.money",
                "credit-set-off.first", "bond-open.withdraw", "unknown-bond", "concurrent-change", "csrf-token-missing",
                "method-not-allowed", "number-out-of-range.count", "key-mismatch", "invalid-parameter.order",
                "invalid-idempotency-key", "request-rejected", "internal-error", "not-your-portfolio", "sender-not-evaluator",
                "unknown-dead-letter", "invalid-terms.inconsistent", "not-the-arranger.named", "malformed-json.syntax");
        Properties hebrew = hebrew();
        Set<String> missing = new TreeSet<>();
        for (String wording : wordings) {
            if (!hebrew.containsKey("refusal." + wording)) {
                missing.add(wording);
            }
        }
        assertThat(missing).as("refusals without Hebrew words (messages_he.properties)").isEmpty();
        for (String key : hebrew.stringPropertyNames()) {
            if (key.startsWith("refusal.")) {
                // a pattern MessageFormat reads, in Hebrew
                assertThat(new MessageFormat(hebrew.getProperty(key)).format(new Object[10])).as(key)
                        .containsPattern("[\u05d0-\u05ea]");
            }
        }
    }

    @Test
    void aRefusalSaysItsFiguresInHebrewEachIsolated() {
        CommandRefusedException overfunding = new CommandRefusedException(CommandRefusedException.Kind.INVALID,
                "overfunding", "Only 1500.00 ILS of this call is outstanding for investor")
                .with(new Money(new BigDecimal("1500.00"), "ILS"), "investor");
        CommandRefusedException outside = new CommandRefusedException(CommandRefusedException.Kind.INVALID,
                "outside-outcome-window", "2030-01-01 is outside the outcome window of this bond, 2021-01-01 to"
                + " 2023-06-30: only outcomes inside it pay")
                .with(LocalDate.of(2030, 1, 1), LocalDate.of(2021, 1, 1), LocalDate.of(2023, 6, 30));
        CommandRefusedException full = new CommandRefusedException(CommandRefusedException.Kind.INVALID, "cohort-full",
                "Cohort 'c1' has room for 3 more participant(s)").with("c1", 3);
        CommandRefusedException closed = new CommandRefusedException(CommandRefusedException.Kind.CONFLICT, "bond-open",
                "Cannot close a bond that is OPEN (it must be MATURED)").with(BondStatus.OPEN, BondStatus.MATURED);

        LocaleContextHolder.setLocale(Locale.ENGLISH);
        assertThat(refusals.of(overfunding)).isEqualTo("Only 1500.00 ILS of this call is outstanding for investor");

        LocaleContextHolder.setLocale(Locale.forLanguageTag("he"));
        // the amount as the Hebrew pages write money (\u200f1,500.00 ₪), isolated
        assertThat(refusals.of(overfunding)).isEqualTo("רק \u2068\u200f1,500.00\u00a0₪\u2069 מקריאה זו נותרו לתשלום על"
                + " ידי \u2068investor\u2069.");
        assertThat(refusals.of(outside)).isEqualTo("\u20682030-01-01\u2069 מחוץ לחלון התוצאות של האגרה, \u20682021-01-01\u2069"
                + " עד \u20682023-06-30\u2069: רק תוצאות בתוכו מזכות בתשלום.");
        assertThat(refusals.of(full)).isEqualTo("במחזור \u2068c1\u2069 נותר מקום ל-\u20683\u2069 משתתפים נוספים בלבד.");
        // a status in the reader's words
        assertThat(refusals.of(closed)).isEqualTo("האגרה פתוחה; הצעד הזה דורש אגרה במצב: הגיעה לפירעון.");
        // a refusal that names fewer figures than its words need is said as the bond said it, isolated
        CommandRefusedException bare = new CommandRefusedException(CommandRefusedException.Kind.INVALID, "cohort-full",
                "Cohort 'c1' has room for 3 more participant(s)");
        assertThat(refusals.of(bare)).isEqualTo("\u2068Cohort 'c1' has room for 3 more participant(s)\u2069");
        // at a field: the first field the refusal's figures are about
        CommandRefusedException range = new CommandRefusedException(CommandRefusedException.Kind.INVALID,
                "number-out-of-range", "/size must be from 1 to 10000000, not 10000001", List.of(
                new CommandRefusedException.FieldViolation("/size", "must be from 1 to 10000000, not 10000001"),
                new CommandRefusedException.FieldViolation("/rank", "must be from 1 to 10000000, not 0")))
                .worded("count", "/size", 1, 10_000_000, 10_000_001);
        assertThat(refusals.at(range, range.violations().get(0))).isEqualTo("הערך בשדה \u2068/size\u2069 חייב להיות בין"
                + " \u20681\u2069 ל-\u206810000000\u2069, לא \u206810000001\u2069.");
        assertThat(refusals.at(range, range.violations().get(1))).isEqualTo("\u2068must be from 1 to 10000000, not 0\u2069");
    }

    /** Each code and code.variant the sources refuse with. */
    private static Set<String> wordings() throws IOException {
        Set<String> wordings = new TreeSet<>();
        for (String module : new String[]{"contracts", "ledger-core", "ledger-api"}) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = Files.readString(file);
                    Matcher constant = CONSTANT.matcher(source);
                    java.util.Map<String, String> constants = new java.util.HashMap<>();
                    while (constant.find()) {
                        constants.put(constant.group(1), constant.group(2));
                    }
                    Matcher code = CODE.matcher(source);
                    while (code.find()) {
                        String found = null;
                        for (int group = 1; group <= code.groupCount(); group++) {
                            String value = code.group(group);
                            if (value == null) {
                                continue;
                            }
                            String named = value.matches("[A-Z_]+") ? constants.getOrDefault(value,
                                    boundsConstant(value)) : value;
                            wordings.add(named);
                            found = named;
                        }
                        // the statement ends at a semicolon that ends its line (a message may hold one)
                        Matcher ending = Pattern.compile(";\\s*\\n").matcher(source);
                        int end = ending.find(code.end()) ? ending.start() : -1;
                        String statement = source.substring(code.start(), end < 0 ? source.length() : end);
                        Matcher variant = (code.group(7) != null ? OUT_OF_RANGE_VARIANT : VARIANT).matcher(statement);
                        if (found != null && variant.find()) {
                            wordings.add(found + "." + variant.group(1));
                        }
                    }
                }
            }
        }
        return wordings;
    }

    /** A Bounds code named by its constant from another class (Bounds.AMOUNT_OUT_OF_RANGE). */
    private static String boundsConstant(String name) {
        try {
            String bounds = Files.readString(ROOT.resolve("ledger-core/src/main/java/org/sibledger/core/bond/Bounds.java"));
            Matcher constant = CONSTANT.matcher(bounds);
            while (constant.find()) {
                if (constant.group(1).equals(name)) {
                    return constant.group(2);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no refusal code constant " + name);
    }

    private static Properties hebrew() throws IOException {
        Properties properties = new Properties();
        try (Reader in = new InputStreamReader(RefusalWordsTest.class.getResourceAsStream("/messages_he.properties"),
                StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

}
