package org.sibledger.core.mechanism;

import org.sibledger.contracts.bond.PaymentMechanism;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The versions of a bond's payment mechanism: version 1 as structured, then one per amendment from its effective
 * date. DOMAIN.md: an outcome is priced by the terms in force on its date, whenever it is approved, so an amendment
 * never re-prices an outcome dated before it takes effect. Caps are not versioned: they count every outcome, of
 * whichever version, and bind at the current terms' values.
 */
public final class TermsHistory {

    /** One version: in force from {@code effectiveFrom} (null: from the start) until the next version's date. */
    public record Version(int number, LocalDate effectiveFrom, PaymentMechanism mechanism) {
    }

    private final List<Version> versions;

    private TermsHistory(List<Version> versions) {
        this.versions = List.copyOf(versions);
    }

    /** The terms as structured, never amended. */
    public static TermsHistory of(PaymentMechanism mechanism) {
        return new TermsHistory(List.of(new Version(1, null, mechanism)));
    }

    /** The versions a bond keeps, in order. */
    public static TermsHistory of(List<Version> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a bond has at least the terms it was structured with");
        }
        return new TermsHistory(versions);
    }

    /** This history with one more version, in force from {@code effectiveFrom}. */
    public TermsHistory amended(LocalDate effectiveFrom, PaymentMechanism mechanism) {
        List<Version> next = new ArrayList<>(versions);
        next.add(new Version(versions.size() + 1, effectiveFrom, mechanism));
        return new TermsHistory(next);
    }

    /**
     * The version in force on {@code date}: the latest one whose effective date is on or before it (a later version
     * with an earlier date takes precedence from that date, as a variation agreed later does); the current version
     * when the date is unknown.
     */
    public Version inForceOn(LocalDate date) {
        if (date == null) {
            return versions.get(versions.size() - 1);
        }
        Version inForce = versions.get(0);
        for (Version version : versions) {
            if (version.effectiveFrom() == null || !version.effectiveFrom().isAfter(date)) {
                inForce = version;
            }
        }
        return inForce;
    }

    /** The mechanism in force on {@code date} when it is of the current kind; else the current one. */
    <M extends PaymentMechanism> Priced<M> pricing(LocalDate date, Class<M> kind) {
        Version version = inForceOn(date);
        if (!kind.isInstance(version.mechanism())) {
            version = versions.get(versions.size() - 1);
        }
        return new Priced<>(version.number(), kind.cast(version.mechanism()), versions.size() > 1);
    }

    public List<Version> versions() {
        return versions;
    }

    /** A mechanism of one version; {@link #note()} says which, once the terms have been amended. */
    record Priced<M extends PaymentMechanism>(int version, M terms, boolean amended) {
        String note() {
            return amended ? " (terms version " + version + ")" : "";
        }
    }
}
