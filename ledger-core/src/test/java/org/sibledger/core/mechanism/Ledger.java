package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.BondTerms;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Plays approvals through {@link PaymentMechanisms} one at a time, as the Bond aggregate does, keeping every line. */
final class Ledger {

    private final BondTerms terms;
    private PricingFacts facts;
    private final List<ApprovedMeasurement> approved = new ArrayList<>();
    private final List<DuePayout> lines = new ArrayList<>();

    Ledger(BondTerms terms) {
        this(terms, new PricingFacts(Map.of(), BigDecimal.ZERO, false));
    }

    Ledger(BondTerms terms, PricingFacts facts) {
        this.terms = terms;
        this.facts = facts;
    }

    List<DuePayout> approve(ApprovedMeasurement measurement) {
        List<DuePayout> due = PaymentMechanisms.newlyDue(terms, facts, List.copyOf(approved), measurement);
        approved.add(measurement);
        lines.addAll(due);
        return due;
    }

    Ledger approveAll(List<ApprovedMeasurement> measurements) {
        measurements.forEach(this::approve);
        return this;
    }

    List<DuePayout> mature() {
        facts = new PricingFacts(facts.cohortSizes(), facts.fundedCapital(), true);
        List<DuePayout> due = PaymentMechanisms.dueAtMaturity(terms, facts, List.copyOf(approved));
        lines.addAll(due);
        return due;
    }

    List<DuePayout> lines() {
        return List.copyOf(lines);
    }

    List<ApprovedMeasurement> approved() {
        return List.copyOf(approved);
    }

    PricingFacts facts() {
        return facts;
    }

    BigDecimal paid() {
        return paid(line -> true);
    }

    BigDecimal paid(Predicate<DuePayout> which) {
        return lines.stream().filter(which).map(DuePayout::payable).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    BigDecimal capped() {
        return lines.stream().map(DuePayout::capped).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    <K> Map<K, BigDecimal> paidBy(Function<DuePayout, K> key) {
        return lines.stream().collect(Collectors.groupingBy(key,
                Collectors.reducing(BigDecimal.ZERO, DuePayout::payable, BigDecimal::add)));
    }
}
