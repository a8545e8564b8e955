package org.sibledger.core.waterfall;

import org.sibledger.contracts.bond.BondTerms.InvestorTerms;
import org.sibledger.contracts.bond.BondTerms.Tranche;
import org.sibledger.contracts.common.CommandRefusedException.FieldViolation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The consistency rules of investor terms beyond their JSON shape, each violation at its JSON Pointer in the terms
 * document: unique tranche ids; kinds that agree with ranks (senior before subordinate before first loss); a
 * guarantee states the share of principal it covers and guarantees only tranches that exist and are not guarantees.
 */
public final class TrancheRules {

    private static final String BASE = "/investorTerms/tranches/";

    private TrancheRules() {
    }

    public static List<FieldViolation> violations(InvestorTerms terms) {
        List<FieldViolation> out = new ArrayList<>();
        if (terms == null) {
            return out;
        }
        List<Tranche> tranches = terms.tranches();
        Map<String, Tranche> byId = new HashMap<>();
        for (int i = 0; i < tranches.size(); i++) {
            Tranche tranche = tranches.get(i);
            if (tranche == null || tranche.id() == null || tranche.id().isBlank()) {
                out.add(new FieldViolation(BASE + i + "/id", "is required"));
                continue;
            }
            if (byId.putIfAbsent(tranche.id(), tranche) != null) {
                out.add(new FieldViolation(BASE + i + "/id", "duplicate tranche '" + tranche.id() + "'"));
            }
            if (tranche.rank() < 1) {
                out.add(new FieldViolation(BASE + i + "/rank", "must be 1 or more"));
            }
            if (tranche.returnCapIrr() != null && tranche.returnCapIrr().signum() < 0) {
                out.add(new FieldViolation(BASE + i + "/returnCapIrr", "must not be negative"));
            }
        }
        for (int i = 0; i < tranches.size(); i++) {
            Tranche tranche = tranches.get(i);
            if (tranche == null || tranche.id() == null) {
                continue;
            }
            if (tranche.kind() == Tranche.Kind.GUARANTEE) {
                checkGuarantee(out, i, tranche, byId);
            } else {
                if (tranche.guaranteedShareOfPrincipal() != null) {
                    out.add(new FieldViolation(BASE + i + "/guaranteedShareOfPrincipal",
                            "only a GUARANTEE tranche covers a share of principal"));
                }
                if (!tranche.guaranteedTranches().isEmpty()) {
                    out.add(new FieldViolation(BASE + i + "/guaranteedTranches",
                            "only a GUARANTEE tranche guarantees other tranches"));
                }
                checkSeniority(out, i, tranche, tranches);
            }
        }
        return out;
    }

    /** Refuses terms the waterfall cannot apply, with the first violation in the message. */
    static void requireValid(InvestorTerms terms) {
        if (terms == null) {
            throw new IllegalArgumentException("investor terms are required");
        }
        List<FieldViolation> violations = violations(terms);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("the investor terms are inconsistent: " + violations.get(0).pointer()
                    + " " + violations.get(0).message());
        }
    }

    private static void checkGuarantee(List<FieldViolation> out, int i, Tranche tranche, Map<String, Tranche> byId) {
        BigDecimal share = tranche.guaranteedShareOfPrincipal();
        if (share == null) {
            out.add(new FieldViolation(BASE + i + "/guaranteedShareOfPrincipal",
                    "is required for a GUARANTEE tranche"));
        } else if (share.signum() <= 0 || share.compareTo(BigDecimal.ONE) > 0) {
            out.add(new FieldViolation(BASE + i + "/guaranteedShareOfPrincipal", "must be above 0 and at most 1"));
        }
        for (int k = 0; k < tranche.guaranteedTranches().size(); k++) {
            String id = tranche.guaranteedTranches().get(k);
            Tranche guaranteed = byId.get(id);
            if (guaranteed == null) {
                out.add(new FieldViolation(BASE + i + "/guaranteedTranches/" + k, "names tranche '" + id
                        + "', which the terms do not declare"));
            } else if (guaranteed.kind() == Tranche.Kind.GUARANTEE) {
                out.add(new FieldViolation(BASE + i + "/guaranteedTranches/" + k, "names guarantee tranche '" + id
                        + "'; a guarantee covers invested principal, not another guarantee"));
            }
        }
    }

    private static void checkSeniority(List<FieldViolation> out, int i, Tranche tranche, List<Tranche> tranches) {
        for (Tranche other : tranches) {
            if (other == null || other == tranche || other.kind() == Tranche.Kind.GUARANTEE) {
                continue;
            }
            // A junior kind (later in the enum) must rank strictly after a senior kind.
            if (other.kind().ordinal() < tranche.kind().ordinal() && other.rank() >= tranche.rank()) {
                out.add(new FieldViolation(BASE + i + "/rank", "a " + tranche.kind() + " tranche must rank after "
                        + other.kind() + " tranche '" + other.id() + "' (rank " + other.rank() + ")"));
            }
        }
    }
}
