package org.sibledger.core.bond;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The last of the {@link Bounds} checks, on what a command records rather than what it carries: every decimal in an
 * event has at most {@value Bounds#INTEGER_DIGITS} integer digits and every date is one a {@code DATE} column takes.
 * <p>
 * The edge and the Bond bound each figure a command carries, but an event also carries what the bond derives from
 * many of them (a payout priced as price x cohort size x improvement / unit scale, a re-booking after a cohort is
 * opened, an amendment or maturity). Rather than re-derive each product's bound beside each command, the bond checks
 * every event it is about to record, in the one place every event passes ({@link BondChain#record}): a command that
 * would record a value the read models cannot store is refused, and its unit of work, with any event it recorded
 * before, rolls back. So "every event the ledger accepts is one that every read model can store" holds for derived
 * values whatever mechanism, amendment or order of commands derived them.
 */
final class Storable {

    /** Per record class, the accessors of its components, looked up once. */
    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            return Arrays.stream(type.getRecordComponents()).map(component -> {
                try {
                    return new Component(component.getName(), lookup.unreflect(component.getAccessor()));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("the components of " + type.getName() + " are public", e);
                }
            }).toList();
        }
    };

    private static final LocalDate FIRST_DATE = LocalDate.of(1, 1, 1);
    private static final LocalDate LAST_DATE = LocalDate.of(9999, 12, 31);

    private record Component(String name, MethodHandle accessor) {
    }

    private Storable() {
    }

    /** Refuses the command recording {@code event} when the event carries a value the read models cannot store. */
    static void require(Object event) {
        String where = firstUnstorable(event, "");
        if (where != null) {
            throw Refusals.invalid(Bounds.AMOUNT_OUT_OF_RANGE, "this command would record "
                    + event.getClass().getSimpleName() + " with " + where + ", more than the largest amount the ledger"
                    + " books (below 10^" + Bounds.INTEGER_DIGITS + "); nothing was recorded")
                            .worded("event", event.getClass().getSimpleName().replaceFirst("Event$", ""), where);
        }
    }

    /** The path and value of the first decimal or date out of range, or null. */
    static String firstUnstorable(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Number && !(value instanceof BigDecimal)
                || value instanceof Boolean || value instanceof Enum<?>) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return Bounds.integerDigits(decimal) > Bounds.INTEGER_DIGITS ? name(path) + " = " + Bounds.shown(decimal) : null;
        }
        if (value instanceof LocalDate date) {
            return date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE) ? name(path) + " = " + date : null;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                String found = firstUnstorable(item, path + "/" + i++);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String found = firstUnstorable(entry.getValue(), path + "/" + entry.getKey());
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (value.getClass().isRecord()) {
            for (Component component : COMPONENTS.get(value.getClass())) {
                Object field;
                try {
                    field = component.accessor().invoke(value);
                } catch (Throwable e) {
                    throw new IllegalStateException("reading " + component.name() + " of " + value.getClass(), e);
                }
                String found = firstUnstorable(field, path + "/" + component.name());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String name(String path) {
        return path.isEmpty() ? "a value" : path.substring(1);
    }
}
