package org.sibledger.api.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.bond.AmendmentProposalView;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.bond.Bond;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The variation awaiting consent on a bond, read from the bond itself ({@link BondReader}), for the API and the bond's
 * page; and what it changes, term by term, for people to compare without reading JSON.
 */
@Component
public class OpenProposals {

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final BondReader bonds;

    public OpenProposals(BondReader bonds) {
        this.bonds = bonds;
    }

    public Optional<AmendmentProposalView> of(String bondId) {
        return bonds.read(bondId, Bond::openProposal);
    }

    /** One term that the variation changes: where it is in the terms, its value in force and the proposed one. */
    public record Change(String term, String inForce, String proposed) {
    }

    /** The terms that differ, each as a path such as {@code paymentMechanism.prices.0.price}, in the terms' order. */
    public static List<Change> changes(BondTerms inForce, BondTerms proposed) {
        Map<String, String> before = flatten(JSON.valueToTree(inForce));
        Map<String, String> after = flatten(JSON.valueToTree(proposed));
        TreeSet<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (String path : paths) {
            String was = before.getOrDefault(path, "—");
            String is = after.getOrDefault(path, "—");
            if (!was.equals(is)) {
                changes.add(new Change(path, was, is));
            }
        }
        return changes;
    }

    private static Map<String, String> flatten(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", node, out);
        return out;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "." + i, node.get(i), out);
            }
        } else if (!node.isNull()) {
            out.put(path, node.asText());
        }
    }
}
