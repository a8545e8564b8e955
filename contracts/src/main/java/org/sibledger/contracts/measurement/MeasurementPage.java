package org.sibledger.contracts.measurement;

import java.util.List;

public record MeasurementPage(List<MeasurementView> items, int page, int size, long totalItems) {
    public MeasurementPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
