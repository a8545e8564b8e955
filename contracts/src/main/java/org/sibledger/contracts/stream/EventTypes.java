package org.sibledger.contracts.stream;

/** The public name of an event type: the record's name without its "Event" suffix ("BondStructured"). */
public final class EventTypes {

    private EventTypes() {
    }

    public static String name(Class<?> type) {
        String name = type.getSimpleName();
        return name.endsWith("Event") ? name.substring(0, name.length() - "Event".length()) : name;
    }
}
