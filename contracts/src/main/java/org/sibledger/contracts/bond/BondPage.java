package org.sibledger.contracts.bond;

import java.util.List;

public record BondPage(List<BondView> items, int page, int size, long totalItems) {
}
