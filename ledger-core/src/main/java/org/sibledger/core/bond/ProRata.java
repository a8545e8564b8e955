package org.sibledger.core.bond;

import org.sibledger.contracts.common.Money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an amount pro rata to weights, booked to the currency's minor unit by the largest-remainder method, so
 * the parts always add up to the amount exactly (ties go to the earlier key, for determinism).
 */
final class ProRata {

    private ProRata() {
    }

    static Map<String, BigDecimal> allocate(BigDecimal amount, LinkedHashMap<String, BigDecimal> weights, String currency) {
        int scale = Money.minorUnits(currency);
        BigDecimal total = weights.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (total.signum() <= 0) {
            throw new IllegalArgumentException("nothing to allocate against");
        }
        Map<String, BigDecimal> parts = new LinkedHashMap<>();
        List<Map.Entry<String, BigDecimal>> remainders = new ArrayList<>();
        BigDecimal allocated = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> weight : weights.entrySet()) {
            BigDecimal exact = amount.multiply(weight.getValue()).divide(total, scale + 12, RoundingMode.DOWN);
            BigDecimal floor = exact.setScale(scale, RoundingMode.DOWN);
            parts.put(weight.getKey(), floor);
            remainders.add(Map.entry(weight.getKey(), exact.subtract(floor)));
            allocated = allocated.add(floor);
        }
        BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
        BigDecimal left = amount.subtract(allocated);
        remainders.sort(Map.Entry.<String, BigDecimal>comparingByValue(Comparator.reverseOrder()));
        for (int i = 0; left.signum() > 0; i++) {
            String key = remainders.get(i % remainders.size()).getKey();
            parts.put(key, parts.get(key).add(unit));
            left = left.subtract(unit);
        }
        return parts;
    }
}
