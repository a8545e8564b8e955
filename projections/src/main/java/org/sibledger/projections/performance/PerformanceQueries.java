package org.sibledger.projections.performance;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.PaymentMechanism;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.performance.PerformanceView;
import org.sibledger.contracts.performance.PerformanceView.CapLine;
import org.sibledger.contracts.performance.PerformanceView.Figures;
import org.sibledger.contracts.performance.PerformanceView.TargetLine;
import org.sibledger.projections.common.StoredMoney;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sums the performance facts up to a day into the figures of a {@link PerformanceView}: outcomes (units, and the
 * payouts they triggered) by the day they were achieved, settlements by the day they were settled.
 */
final class PerformanceQueries {

    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final Instant END_OF_TIME = Instant.parse("9999-12-31T00:00:00Z");

    private static final String SUMS = """
            sum(units) FILTER (WHERE kind = 'SUBMITTED') AS submitted,
            sum(units) FILTER (WHERE kind = 'APPROVED') AS approved,
            sum(units) FILTER (WHERE kind = 'REJECTED') AS rejected,
            sum(amount) FILTER (WHERE kind = 'TRIGGERED') AS triggered,
            sum(amount) FILTER (WHERE kind = 'CAPPED') AS capped,
            sum(amount) FILTER (WHERE kind = 'SETTLED') AS settled""";

    /**
     * The day a fact counts on: the day its outcome was achieved where it has one, else the day it happened (a
     * settlement; facts recorded before outcome days were kept).
     */
    private static final String DAY = "coalesce(outcome_on, (at AT TIME ZONE 'UTC')::date)";

    private final JdbcTemplate jdbc;

    PerformanceQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<PerformanceView> find(String bondId, LocalDate asOf) {
        String currency = jdbc.query("SELECT currency FROM performance_bond WHERE bond_id = ?",
                rs -> rs.next() ? rs.getString(1) : null, bondId);
        if (currency == null) {
            return Optional.empty();
        }
        Instant until = asOf == null || !asOf.isBefore(LocalDate.of(9999, 12, 31)) ? END_OF_TIME
                : asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        // facts count by their day (DAY): outcomes by when they were achieved, settlements by when they were settled
        java.sql.Date before = java.sql.Date.valueOf(until.atZone(ZoneOffset.UTC).toLocalDate());
        BondTerms terms = termsAsOf(bondId, until.minusNanos(1000));
        if (terms == null) {
            // a date before the bond was structured: its first terms, and nothing recorded yet
            terms = read(jdbc.query("SELECT terms FROM performance_terms WHERE bond_id = ? ORDER BY sequence LIMIT 1",
                    rs -> rs.next() ? rs.getString(1) : null, bondId));
        }
        Figures total = jdbc.queryForObject("SELECT " + SUMS + " FROM performance_fact WHERE bond_id = ? AND " + DAY
                        + " < ?",
                (rs, i) -> figures(rs, currency), bondId, before);
        List<PerformanceView.MetricLine> metrics = jdbc.query("SELECT metric, cohort_id, " + SUMS
                        + " FROM performance_fact WHERE bond_id = ? AND " + DAY + " < ? AND metric <> ''"
                        + " GROUP BY metric, cohort_id ORDER BY metric, cohort_id",
                (rs, i) -> new PerformanceView.MetricLine(rs.getString("metric"), blankToNull(rs.getString("cohort_id")),
                        figures(rs, currency)), bondId, before);
        List<PerformanceView.MonthLine> months = jdbc.query("SELECT to_char(" + DAY + ", 'YYYY-MM') AS month, "
                        + SUMS + " FROM performance_fact WHERE bond_id = ? AND " + DAY + " < ? GROUP BY 1 ORDER BY 1",
                (rs, i) -> new PerformanceView.MonthLine(rs.getString("month"), figures(rs, currency)), bondId, before);
        return Optional.of(new PerformanceView(bondId, currency, asOf, total, metrics, caps(bondId, terms, before, currency),
                targets(bondId, terms, before), months));
    }

    /** The terms in force at a moment: the last structuring or variation recorded by then. */
    BondTerms termsAsOf(String bondId, Instant at) {
        String json = jdbc.query("""
                        SELECT terms FROM performance_terms WHERE bond_id = ? AND effective_at <= ?
                        ORDER BY sequence DESC LIMIT 1""",
                rs -> rs.next() ? rs.getString(1) : null, bondId, Timestamp.from(at));
        return read(json);
    }

    static BondTerms read(String json) {
        if (json == null) {
            return null;
        }
        synchronized (PARSED) {
            BondTerms parsed = PARSED.get(json);
            if (parsed != null) {
                return parsed;
            }
        }
        try {
            BondTerms parsed = JSON.readValue(json, BondTerms.class);
            synchronized (PARSED) {
                PARSED.put(json, parsed);
            }
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Terms documents already read, by their stored JSON: every measurement event needs its bond's terms, and parsing
     * them each time was a twentieth of a replay. Keyed by the text itself, so a variation is never served stale.
     */
    private static final Map<String, BondTerms> PARSED = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BondTerms> eldest) {
            return size() > 256;
        }
    };

    private List<CapLine> caps(String bondId, BondTerms terms, java.sql.Date before, String currency) {
        Map<String, BigDecimal> byPayer = sums("payer_id", bondId, before);
        Map<String, BigDecimal> byMetric = sums("metric", bondId, before);
        BigDecimal all = byPayer.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        List<CapLine> caps = new ArrayList<>();
        if (terms.contractCap() != null) {
            caps.add(cap("CONTRACT", null, terms.contractCap(), all, currency));
        }
        for (BondTerms.OutcomePayer payer : terms.parties().outcomePayers()) {
            if (payer.cap() != null) {
                caps.add(cap("PAYER", payer.id(), payer.cap(), byPayer.getOrDefault(payer.id(), BigDecimal.ZERO), currency));
            }
        }
        PaymentMechanism mechanism = terms.paymentMechanism();
        if (mechanism instanceof PaymentMechanism.RateCard card) {
            for (PaymentMechanism.Price price : card.prices()) {
                if (price.metricCap() != null) {
                    caps.add(cap("METRIC", price.metric(), price.metricCap(),
                            byMetric.getOrDefault(price.metric(), BigDecimal.ZERO), currency));
                }
            }
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison threshold && threshold.cap() != null) {
            caps.add(cap("METRIC", threshold.metric(), threshold.cap(), byMetric.getOrDefault(threshold.metric(), BigDecimal.ZERO), currency));
        } else if (mechanism instanceof PaymentMechanism.SavingsShare share && share.cap() != null) {
            caps.add(cap("METRIC", share.metric(), share.cap(), all, currency));
        }
        return caps;
    }

    private Map<String, BigDecimal> sums(String column, String bondId, java.sql.Date before) {
        Map<String, BigDecimal> sums = new HashMap<>();
        jdbc.query("SELECT " + column + ", sum(amount) FROM performance_fact WHERE bond_id = ? AND " + DAY
                        + " < ? AND kind = 'TRIGGERED' GROUP BY 1",
                rs -> {
                    sums.put(rs.getString(1), rs.getBigDecimal(2));
                }, bondId, before);
        return sums;
    }

    private static CapLine cap(String kind, String subject, BigDecimal limit, BigDecimal used, String currency) {
        return new CapLine(kind, subject, StoredMoney.of(limit, currency), StoredMoney.of(used, currency),
                StoredMoney.of(limit.subtract(used).max(BigDecimal.ZERO), currency));
    }

    /** The latest approved, not reversed, value of each metric (and cohort) recorded by then, against its target. */
    private List<TargetLine> targets(String bondId, BondTerms terms, java.sql.Date before) {
        Map<List<String>, BigDecimal> latest = new HashMap<>();
        jdbc.query("""
                SELECT DISTINCT ON (metric, cohort_id) metric, cohort_id, value FROM (
                    SELECT measurement_id, metric, cohort_id, max(sequence) AS seq, sum(units) AS units, max(value) AS value
                    FROM performance_fact WHERE bond_id = ? AND %s < ? AND kind = 'APPROVED' AND value IS NOT NULL
                    GROUP BY measurement_id, metric, cohort_id) approved
                WHERE units > 0 ORDER BY metric, cohort_id, seq DESC""".formatted(DAY), rs -> {
            latest.put(List.of(rs.getString(1), rs.getString(2)), rs.getBigDecimal(3));
        }, bondId, before);
        List<TargetLine> targets = new ArrayList<>();
        PaymentMechanism mechanism = terms.paymentMechanism();
        if (mechanism instanceof PaymentMechanism.WeightedTargets weighted) {
            for (PaymentMechanism.Target target : weighted.targets()) {
                targets.add(target(target.metric(), null, "WEIGHTED_TARGET", target.target(),
                        latest.get(List.of(target.metric(), ""))));
            }
        } else if (mechanism instanceof PaymentMechanism.Graduated graduated && !graduated.tiers().isEmpty()) {
            BigDecimal lowest = graduated.tiers().stream().map(PaymentMechanism.GraduatedTier::atLeast)
                    .min(Comparator.naturalOrder()).orElseThrow();
            targets.add(target(graduated.metric(), null, "LOWEST_PAYING_TIER", lowest,
                    latest.get(List.of(graduated.metric(), ""))));
        } else if (mechanism instanceof PaymentMechanism.ThresholdVsComparison threshold) {
            latest.entrySet().stream().filter(e -> e.getKey().get(0).equals(threshold.metric()))
                    .sorted(Comparator.comparing(e -> e.getKey().get(1)))
                    .forEach(e -> targets.add(target(threshold.metric(), e.getKey().get(1), "COHORT_THRESHOLD",
                            threshold.cohortThreshold(), e.getValue())));
        }
        return targets;
    }

    private static TargetLine target(String metric, String cohortId, String kind, BigDecimal target, BigDecimal achieved) {
        BigDecimal progress = achieved == null || target == null || target.signum() == 0 ? null
                : StoredMoney.plain(achieved.divide(target, MathContext.DECIMAL64));
        return new TargetLine(metric, cohortId, kind, StoredMoney.plain(target), StoredMoney.plain(achieved), progress);
    }

    private static Figures figures(ResultSet rs, String currency) throws SQLException {
        return new Figures(count(rs.getBigDecimal("submitted")), count(rs.getBigDecimal("approved")),
                count(rs.getBigDecimal("rejected")), StoredMoney.of(rs.getBigDecimal("triggered"), currency),
                StoredMoney.of(rs.getBigDecimal("capped"), currency), StoredMoney.of(rs.getBigDecimal("settled"), currency));
    }

    private static BigDecimal count(BigDecimal sum) {
        return sum == null ? BigDecimal.ZERO : StoredMoney.plain(sum);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
