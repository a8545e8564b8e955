package org.sibledger.api.web;

import org.sibledger.contracts.common.Money;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule of a line in the reader's words: a waterfall's (a distribution's or a guarantee call's) and a payout's. The
 * bond records its rules in English ({@code core.waterfall.Waterfall}, {@code core.mechanism}), and its record is
 * never rewritten; the pages read the rules' shapes and say them again with {@code waterfall.*} and {@code rule.*}
 * messages, amounts as the pages write money and ids isolated from the text around them. A payout's rule is read part
 * by part ({@code "; "} between them), so that a part the pages do not know (a share of savings' schedule, a credit)
 * stays as recorded, isolated, among the parts said in Hebrew. In English every rule is shown as recorded. Used by the
 * templates as {@code @ruleWords.of(rule)}.
 */
@Component("ruleWords")
public class RuleWords {

    private static final String MONEY = "([A-Z]{3}) (-?[0-9]+(?:\\.[0-9]+)?)";
    private static final Pattern TRANCHE = Pattern.compile("tranche '(.+?)' \\(rank ([0-9]+), ([A-Z_]+)(, pari passu)?\\): "
            + "(?:(principal already repaid)|principal " + MONEY + " of " + MONEY + " outstanding, pro rata to funded principal)"
            + "; return " + MONEY + "(?:(, uncapped)| of " + MONEY + " the ([0-9.]+)% IRR cap allows)");
    private static final Pattern EXCESS = Pattern.compile("excess above the return caps, pro rata to funded principal " + MONEY);
    private static final Pattern GUARANTEE = Pattern.compile("guarantee '(.+?)' covers ([0-9.]+)% of funded principal: (.+?) in '(.+?)'"
            + " is owed " + MONEY + " of principal, covered up to " + MONEY + ", receives " + MONEY + "; guarantor (.+?)"
            + " pays pro rata to uncalled guarantee commitments");

    private final MessageSource messages;
    private final Formats formats;

    private static final String VERSION = "(?: \\(terms version ([0-9]+)\\))?";
    private static final Pattern RATE_CARD = Pattern.compile("rate card: (.+?) at " + MONEY + VERSION + " for participant (.+)");
    /** The same, as a party that may not see who the participant is reads it ({@code Visibility.withoutParticipant}). */
    private static final Pattern RATE_CARD_ANONYMOUS = Pattern.compile("rate card: (.+?) at " + MONEY + VERSION + " for a participant");
    private static final Pattern WEIGHTED = Pattern.compile("weighted targets: (.+?) achieved ([0-9.E-]+) of target ([0-9.E-]+)"
            + " \\((-?[0-9.]+%), counted as (-?[0-9.]+%)\\) x weight ([0-9.E-]+) x maximum " + MONEY + VERSION
            + "(?:, less " + MONEY + " already due for an earlier result)?");
    private static final Pattern POOLED = Pattern.compile("threshold vs comparison at maturity: pooled improvement (-?[0-9.]+%)"
            + " of ([0-9]+) cohorts weighted by size reaches the pooled threshold (-?[0-9.]+%)");
    private static final Pattern POOLED_PAYS = Pattern.compile("pays for (.+): ([0-9.E-]+) units improved at " + MONEY);
    private static final Pattern GRADUATED = Pattern.compile("graduated: (.+?) ([0-9.E-]+) reaches the tier from ([0-9.E-]+), paying "
            + MONEY + " in all" + VERSION + "(?:, less " + MONEY + " already due for a lower tier)?");
    private static final Pattern COHORT = Pattern.compile("threshold vs comparison: (.+?) ([0-9.E-]+) vs ([0-9.E-]+) per ([0-9.E-]+), "
            + "improvement (-?[0-9.]+%) reaches the cohort threshold (-?[0-9.]+%)");
    private static final Pattern UNITS = Pattern.compile("([0-9.E-]+) units improved at " + MONEY + VERSION
            + "(?:, less " + MONEY + " already due for an earlier result)?");
    private static final Pattern PAYS_SHARE = Pattern.compile("(.+?) pays share ([0-9.E-]+)");
    private static final Pattern CAPPED_BY = Pattern.compile(
            "capped by (participant cap|metric cap|contract cap|the mechanism cap|the maximum outcome payment) " + MONEY);
    private static final Pattern CAPPED_COMMITMENT = Pattern.compile("capped by (.+?)'s commitment " + MONEY);
    private static final Pattern LESS_BOOKED = Pattern.compile("less " + MONEY + " booked before");
    private static final Pattern CREDIT = Pattern.compile("credit of " + MONEY + " paid above what is now due \\((.*)\\),"
            + " set off against this payer's next payout of the bond");
    private static final Pattern SAVINGS = Pattern.compile("share of savings: cumulative savings " + MONEY + " (.+?)" + VERSION
            + " gives " + MONEY + " in all(?:, less " + MONEY + " already due)?");
    private static final Pattern REPAYMENT = Pattern.compile("at (-?[0-9.]+%) until investors have received " + MONEY
            + " \\(funded capital " + MONEY + " x \\(1 \\+ (-?[0-9.]+%)\\), simple interest\\), then (-?[0-9.]+%)");
    private static final Pattern TIERS = Pattern.compile("through tiers((?: -?[0-9.]+% (?:beyond|up to [A-Z]{3} [0-9.]+),?)+)");
    private static final Pattern TIER = Pattern.compile(" (-?[0-9.]+%) (?:(beyond)|up to " + MONEY + ")");

    public RuleWords(MessageSource messages, Formats formats) {
        this.messages = messages;
        this.formats = formats;
    }

    /** The rule in the reader's words; as recorded in English, and for any shape the pages do not know. */
    public String of(String rule) {
        if (rule == null || rule.isEmpty()) {
            return "";
        }
        if (!RefusalWords.rightToLeft()) {
            return rule;
        }
        Matcher m = TRANCHE.matcher(rule);
        if (m.matches()) {
            Function<Integer, String> money = i -> money(m.group(i), m.group(i + 1));
            String principal = m.group(5) != null ? text("waterfall.principal.repaid")
                    : text("waterfall.principal", money.apply(6), money.apply(8));
            String cap = m.group(12) != null ? text("waterfall.uncapped")
                    : text("waterfall.capped", money.apply(13), id(m.group(15) + "%"));
            return text("waterfall.tranche", id(m.group(1)), id(m.group(2)), text("trancheKind." + m.group(3)),
                    m.group(4) != null ? text("waterfall.pariPassu") : "", principal, money.apply(10), cap);
        }
        Matcher excess = EXCESS.matcher(rule);
        if (excess.matches()) {
            return text("waterfall.excess", money(excess.group(1), excess.group(2)));
        }
        Matcher g = GUARANTEE.matcher(rule);
        if (g.matches()) {
            return text("waterfall.guarantee", id(g.group(1)), id(g.group(2) + "%"), id(g.group(3)), id(g.group(4)),
                    money(g.group(5), g.group(6)), money(g.group(7), g.group(8)), money(g.group(9), g.group(10)),
                    id(g.group(11)));
        }
        return payout(rule);
    }

    /** A payout's rule: a credit set off, or its parts one by one. */
    private String payout(String rule) {
        Matcher credit = CREDIT.matcher(rule);
        if (credit.matches()) {
            return text("rule.credit", money(credit.group(1), credit.group(2)), payout(credit.group(3)));
        }
        StringBuilder said = new StringBuilder();
        for (String part : rule.split("; ")) {
            boolean then = part.startsWith("then ");
            String words = part(then ? part.substring("then ".length()) : part);
            said.append(said.length() == 0 ? "" : "; ").append(then ? text("rule.then", words) : words);
        }
        return said.toString();
    }

    /** One part of a payout's rule in words; as recorded, isolated, when the pages do not know its shape. */
    private String part(String part) {
        Matcher m = RATE_CARD.matcher(part);
        if (m.matches()) {
            return text("rule.rateCard", id(m.group(1)), money(m.group(2), m.group(3)), version(m.group(4)), id(m.group(5)));
        }
        m = RATE_CARD_ANONYMOUS.matcher(part);
        if (m.matches()) {
            return text("rule.rateCard.anonymous", id(m.group(1)), money(m.group(2), m.group(3)), version(m.group(4)));
        }
        m = WEIGHTED.matcher(part);
        if (m.matches()) {
            return text("rule.weighted", id(m.group(1)), id(m.group(2)), id(m.group(3)), id(m.group(4)), id(m.group(5)),
                    id(m.group(6)), money(m.group(7), m.group(8)), version(m.group(9)),
                    m.group(10) == null ? "" : text("rule.lessEarlier", money(m.group(10), m.group(11))));
        }
        m = POOLED.matcher(part);
        if (m.matches()) {
            return text("rule.pooled", id(m.group(1)), id(m.group(2)), id(m.group(3)));
        }
        m = POOLED_PAYS.matcher(part);
        if (m.matches()) {
            return text("rule.pooledPays", id(m.group(1)), id(m.group(2)), money(m.group(3), m.group(4)));
        }
        m = GRADUATED.matcher(part);
        if (m.matches()) {
            return text("rule.graduated", id(m.group(1)), id(m.group(2)), id(m.group(3)), money(m.group(4), m.group(5)),
                    version(m.group(6)), m.group(7) == null ? "" : text("rule.lessLowerTier", money(m.group(7), m.group(8))));
        }
        m = COHORT.matcher(part);
        if (m.matches()) {
            return text("rule.cohort", id(m.group(1)), id(m.group(2)), id(m.group(3)), id(m.group(4)), id(m.group(5)),
                    id(m.group(6)));
        }
        m = UNITS.matcher(part);
        if (m.matches()) {
            return text("rule.units", id(m.group(1)), money(m.group(2), m.group(3)), version(m.group(4)),
                    m.group(5) == null ? "" : text("rule.lessEarlier", money(m.group(5), m.group(6))));
        }
        m = SAVINGS.matcher(part);
        if (m.matches()) {
            return text("rule.savings", money(m.group(1), m.group(2)), schedule(m.group(3)), version(m.group(4)),
                    money(m.group(5), m.group(6)),
                    m.group(7) == null ? "" : text("rule.savings.less", money(m.group(7), m.group(8))));
        }
        m = PAYS_SHARE.matcher(part);
        if (m.matches()) {
            return text("rule.paysShare", id(m.group(1)), id(m.group(2)));
        }
        m = CAPPED_BY.matcher(part);
        if (m.matches()) {
            return text("rule.capped." + m.group(1).replace("the ", "").replace(' ', '-'), money(m.group(2), m.group(3)));
        }
        m = CAPPED_COMMITMENT.matcher(part);
        if (m.matches()) {
            return text("rule.capped.commitment", id(m.group(1)), money(m.group(2), m.group(3)));
        }
        m = LESS_BOOKED.matcher(part);
        if (m.matches()) {
            return text("rule.lessBooked", money(m.group(1), m.group(2)));
        }
        if (part.equals("no approved result entitles this line any more")) {
            return text("rule.noLongerEntitled");
        }
        return RefusalWords.isolated(part);
    }

    /** A share of savings' schedule: a share until the investors are repaid, then another; or tiers. */
    private String schedule(String schedule) {
        Matcher m = REPAYMENT.matcher(schedule);
        if (m.matches()) {
            return text("rule.savings.repayment", id(m.group(1)), money(m.group(2), m.group(3)),
                    money(m.group(4), m.group(5)), id(m.group(6)), id(m.group(7)));
        }
        m = TIERS.matcher(schedule);
        if (m.matches()) {
            java.util.List<String> tiers = new java.util.ArrayList<>();
            Matcher tier = TIER.matcher(m.group(1));
            while (tier.find()) {
                tiers.add(tier.group(2) != null ? text("rule.savings.tierBeyond", id(tier.group(1)))
                        : text("rule.savings.tier", id(tier.group(1)), money(tier.group(3), tier.group(4))));
            }
            return text("rule.savings.tiers", String.join(", ", tiers));
        }
        return RefusalWords.isolated(schedule);
    }

    private String version(String version) {
        return version == null ? "" : text("rule.version", id(version));
    }

    /** Where the excess above the return caps goes, in words. */
    public String excessTo(Object excessTo) {
        return excessTo == null ? "" : text("excessTo." + excessTo);
    }

    private String money(String currency, String amount) {
        return RefusalWords.isolated(formats.money(new Money(new BigDecimal(amount), currency)));
    }

    private static String id(String id) {
        return RefusalWords.isolated(id);
    }

    private String text(String code, Object... args) {
        Locale locale = LocaleContextHolder.getLocale();
        return messages.getMessage(code, args, locale);
    }
}
