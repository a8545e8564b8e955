package org.sibledger.api.projection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read models' dead letters (Axon's sequenced dead-letter queue of each read model, one sequence per bond): what
 * they are and why, retried after a fix ({@link SequencedDeadLetterProcessor#process}) or skipped with a reason, each
 * action audited in {@code read_model_action} and logged; and the gauge {@code sib.processor.dead.letters{read_model}}.
 */
@Component
public class DeadLetters {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeadLetters.class);

    private final EventProcessingConfiguration processing;
    private final TransactionManager transactions;
    private final JdbcTemplate jdbc;

    public DeadLetters(EventProcessingConfiguration processing, TransactionManager transactions, JdbcTemplate jdbc,
                       MeterRegistry registry) {
        this.processing = processing;
        this.transactions = transactions;
        this.jdbc = jdbc;
        for (String readModel : ReadModels.NAMES) {
            Gauge.builder("sib.processor.dead.letters", () -> counts().getOrDefault(readModel, 0L))
                    .description("Events a read model could not process, waiting in its dead-letter queue")
                    .tag("read_model", readModel).register(registry);
        }
    }

    /** One dead letter: the read model, the bond, the event and why it failed. */
    public record Letter(String id, String readModel, String bondId, Long sequence, String eventType, String eventId,
                         String causeType, String cause, Instant firstFailure, Instant lastFailure) {

        public Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", id);
            map.put("readModel", readModel);
            map.put("bondId", bondId);
            map.put("sequence", sequence);
            map.put("eventType", eventType);
            map.put("eventId", eventId);
            map.put("causeType", causeType);
            map.put("cause", cause);
            map.put("firstFailure", firstFailure == null ? null : firstFailure.toString());
            map.put("lastFailure", lastFailure == null ? null : lastFailure.toString());
            return map;
        }
    }

    /** Dead letters per read model, counted now in the shared table (so the same on every node). */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.query("SELECT processinggroup, count(*) FROM deadletterentry GROUP BY processinggroup",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Dead letters right now, of every read model (or one), bond by bond in the order they failed; at most {@code limit}. */
    public List<Letter> list(String onlyReadModel, String onlyBond, int limit) {
        List<Letter> letters = new ArrayList<>();
        for (String readModel : ReadModels.NAMES) {
            if (onlyReadModel != null && !onlyReadModel.equals(readModel)) {
                continue;
            }
            Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = processing.deadLetterQueue(readModel);
            if (queue.isEmpty()) {
                continue;
            }
            Iterable<? extends Iterable<? extends DeadLetter<? extends EventMessage<?>>>> sequences =
                    onlyBond == null ? queue.get().deadLetters() : List.of(queue.get().deadLetterSequence(onlyBond));
            for (Iterable<? extends DeadLetter<? extends EventMessage<?>>> sequence : sequences) {
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    if (letters.size() >= limit) {
                        return letters;
                    }
                    letters.add(describe(readModel, letter));
                }
            }
        }
        return letters;
    }

    private static Letter describe(String readModel, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> event = letter.message();
        String bond = event instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : null;
        Long sequence = event instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : null;
        String id = letter instanceof JdbcDeadLetter<?> jdbcLetter ? jdbcLetter.getIdentifier() : event.getIdentifier();
        if (bond == null && letter instanceof JdbcDeadLetter<?> jdbcLetter) {
            bond = jdbcLetter.getSequenceIdentifier();
        }
        return new Letter(id, readModel, bond, sequence, event.getPayloadType().getSimpleName(), event.getIdentifier(),
                letter.cause().map(c -> c.type()).orElse(null), letter.cause().map(c -> c.message()).orElse(null),
                letter.enqueuedAt(), letter.lastTouched());
    }

    /** The result of an operator's action: what was done, and the letters of the bond left afterwards. */
    public record Outcome(String readModel, String bondId, boolean succeeded, int lettersLeft) {
    }

    /**
     * Retries a bond's dead letters in a read model, oldest first, stopping at the first that fails again (which stays,
     * with its new cause and time). Audited.
     */
    public Outcome retry(String readModel, String bondId, String actor, String reason) {
        boolean ok = processor(readModel).process(letter -> bondId.equals(bondOf(letter)));
        Outcome outcome = new Outcome(readModel, bondId, ok, list(readModel, bondId, Integer.MAX_VALUE).size());
        audit(actor, "retry", readModel, bondId, null, reason, outcome);
        return outcome;
    }

    /** Retries every bond's dead letters in every read model (or one); see {@link #retry}. */
    public List<Outcome> retryAll(String onlyReadModel, String actor, String reason) {
        Map<String, java.util.Set<String>> bonds = new LinkedHashMap<>();
        for (Letter letter : list(onlyReadModel, null, Integer.MAX_VALUE)) {
            bonds.computeIfAbsent(letter.readModel(), k -> new java.util.LinkedHashSet<>()).add(letter.bondId());
        }
        List<Outcome> outcomes = new ArrayList<>();
        bonds.forEach((readModel, ids) -> ids.forEach(bond -> outcomes.add(retry(readModel, bond, actor, reason))));
        return outcomes;
    }

    /**
     * Skips one dead letter with the operator's reason: removes it from its read model's queue, so that read model will
     * never show that event (until a replay, which handles it again), then retries the bond's later letters. Returns
     * empty when there is no such letter. Audited.
     */
    public Optional<Outcome> skip(String readModel, String letterId, String actor, String reason) {
        SequencedDeadLetterQueue<EventMessage<?>> queue = processing.deadLetterQueue(readModel)
                .orElseThrow(() -> new IllegalArgumentException(readModel));
        for (Iterable<? extends DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
            for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                Letter described = describe(readModel, letter);
                if (described.id().equals(letterId) || described.eventId().equals(letterId)) {
                    transactions.executeInTransaction(() -> queue.evict(letter));
                    boolean rest = !queue.contains(described.bondId())
                            || processor(readModel).process(l -> described.bondId().equals(bondOf(l)));
                    Outcome outcome = new Outcome(readModel, described.bondId(), rest,
                            list(readModel, described.bondId(), Integer.MAX_VALUE).size());
                    audit(actor, "skip", readModel, described.bondId(), described, reason, outcome);
                    return Optional.of(outcome);
                }
            }
        }
        return Optional.empty();
    }

    private SequencedDeadLetterProcessor<EventMessage<?>> processor(String readModel) {
        return processing.sequencedDeadLetterProcessor(readModel)
                .orElseThrow(() -> new IllegalArgumentException(readModel));
    }

    private static String bondOf(DeadLetter<? extends EventMessage<?>> letter) {
        if (letter.message() instanceof DomainEventMessage<?> domain) {
            return domain.getAggregateIdentifier();
        }
        return letter instanceof JdbcDeadLetter<?> jdbcLetter ? jdbcLetter.getSequenceIdentifier() : null;
    }

    private void audit(String actor, String action, String readModel, String bondId, Letter letter, String reason,
                       Outcome outcome) {
        LOG.info("Dead letters: {} {} of read model '{}', bond '{}'{} by '{}' because '{}': {}, {} letters left",
                action, letter == null ? "letters" : "letter", readModel, bondId,
                letter == null ? "" : " (event " + letter.eventId() + ", sequence " + letter.sequence() + ", "
                        + letter.eventType() + ")", actor, reason, outcome.succeeded() ? "succeeded" : "failed",
                outcome.lettersLeft());
        jdbc.update("""
                        INSERT INTO read_model_action (actor, action, read_model, bond_id, event_id, sequence_number,
                            event_type, reason, succeeded, letters_left)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                actor, action, readModel, bondId, letter == null ? null : letter.eventId(),
                letter == null ? null : letter.sequence(), letter == null ? null : letter.eventType(), reason,
                outcome.succeeded(), outcome.lettersLeft());
    }

    /** The read models holding dead letters of this bond (whose view of it stands still), in name order. */
    public java.util.SortedSet<String> readModelsBehind(String bondId) {
        return new java.util.TreeSet<>(jdbc.queryForList(
                "SELECT DISTINCT processinggroup FROM deadletterentry WHERE sequenceidentifier = ?", String.class, bondId));
    }

    /** Clears every read model's dead letters: a replay handles their events again (and letters them again if need be). */
    public void clearForReplay() {
        for (String readModel : ReadModels.NAMES) {
            processing.deadLetterQueue(readModel).ifPresent(queue -> transactions.executeInTransaction(queue::clear));
        }
    }
}
