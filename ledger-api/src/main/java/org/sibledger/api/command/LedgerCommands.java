package org.sibledger.api.command;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.AuditMetadata;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.sibledger.api.projection.ReadModels;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The one way into the command side for REST and Kafka alike: stamps each command with who acts, when, and the
 * client's idempotency key, which the aggregate copies onto every event it records.
 */
@Component
public class LedgerCommands {

    private static final AnnotationCommandTargetResolver TARGET = AnnotationCommandTargetResolver.builder().build();

    private final CommandGateway gateway;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ReadModels readModels;
    private final Duration readYourWrites;

    public LedgerCommands(CommandGateway gateway, ReadModels readModels, MeterRegistry meters,
                          @Value("${sib.read-your-writes-timeout:3s}") Duration readYourWrites) {
        this.meters = meters;
        this.gateway = gateway;
        this.clock = Clock.systemUTC();
        this.readModels = readModels;
        this.readYourWrites = readYourWrites;
    }

    /**
     * Sends the command and then waits (at most {@code sib.read-your-writes-timeout}) until the read models have
     * processed it, so that a client reading right after its own write sees it. The command is stored either way. The
     * answer carries the bond's position once the command's events are stored ({@value #POSITION}), which a later
     * read may ask for ({@link org.sibledger.api.rest.LedgerPositions}); a client that does so, or does not read
     * back, answers {@code Prefer: wait=0} (RFC 7240) and gets its answer as soon as the events are stored.
     */
    public <R> R sendAndAwaitReadModels(Object command, String actor, String idempotencyKey) {
        String bondId = TARGET.resolveTarget(GenericCommandMessage.asCommandMessage(command)).getIdentifier();
        Duration wait = preferredWait();
        if (wait.isZero()) {
            R result = send(command, actor, idempotencyKey);
            answer(POSITION, String.valueOf(readModels.lastSequence(bondId)));
            return result;
        }
        long before = readModels.lastSequence(bondId);
        R result = send(command, actor, idempotencyKey);
        Timer.Sample waiting = Timer.start(meters);
        ReadModels.Arrival arrival = readModels.awaitBond(bondId, before, wait);
        waiting.stop(Timer.builder("sib.read-your-writes.wait")
                .description("Time a command's answer waited for the read models to pass its events")
                .tag("reached", String.valueOf(arrival.reached())).register(meters));
        answer(POSITION, String.valueOf(arrival.position()));
        if (!arrival.behind().isEmpty()) {
            answer(VIEWS_BEHIND, String.join(", ", arrival.behind()));
        }
        return result;
    }

    /**
     * How long this command's answer may wait for the read models: {@code sib.read-your-writes-timeout}, or less when
     * the HTTP request prefers it ({@code Prefer: wait=<seconds>}, RFC 7240; {@code wait=0} answers once stored).
     */
    private Duration preferredWait() {
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes request) {
            java.util.Enumeration<String> prefers = request.getRequest().getHeaders("Prefer");
            while (prefers != null && prefers.hasMoreElements()) {
                for (String preference : prefers.nextElement().split("[,;]")) {
                    String[] nameValue = preference.trim().split("=", 2);
                    if (nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("wait")) {
                        try {
                            Duration preferred = Duration.ofSeconds(Long.parseLong(nameValue[1].trim()));
                            return preferred.compareTo(readYourWrites) < 0 && !preferred.isNegative()
                                    ? preferred : readYourWrites;
                        } catch (NumberFormatException ignored) {
                            // not a number of seconds: the preference is ignored, as RFC 7240 asks
                        }
                    }
                }
            }
        }
        return readYourWrites;
    }

    /**
     * A header of the HTTP answer, when there is one: {@value #VIEWS_BEHIND}, e.g. {@code payouts} while that read model
     * holds a dead letter of the bond, and {@value #POSITION}. Set here, where the wait is, rather than in each of the
     * controllers that answer a command.
     */
    private static void answer(String header, String value) {
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes request
                && request.getResponse() != null) {
            request.getResponse().setHeader(header, value);
        }
    }

    /** The answer's header that names the read models behind for the command's bond. */
    public static final String VIEWS_BEHIND = "Ledger-Views-Behind";

    /**
     * The answer's header with the bond's position: the sequence number of its newest stored event when a command was
     * answered, and the one its read models had passed when a read was.
     */
    public static final String POSITION = "Ledger-Position";

    public <R> R send(Object command, String actor, String idempotencyKey) {
        return sendAsOf(command, actor, idempotencyKey, clock.instant());
    }

    /**
     * Sends the command as if it had been given at {@code occurredAt}: the demo plays a bond's past life with it, so
     * that fundings, submissions and settlements carry the dates they had in that life. REST and Kafka never pass a
     * time: what they send happens now ({@link #send}).
     */
    public <R> R sendAsOf(Object command, String actor, String idempotencyKey, java.time.Instant occurredAt) {
        Map<String, Object> meta = new HashMap<>();
        meta.put(AuditMetadata.ACTOR, actor);
        meta.put(AuditMetadata.OCCURRED_AT, occurredAt.toString());
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            meta.put(AuditMetadata.IDEMPOTENCY_KEY, idempotencyKey);
        }
        Timer.Sample sample = Timer.start(meters);
        String outcome = "failed";
        try {
            R result = gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.from(meta)));
            outcome = "stored";
            return result;
        } catch (CommandRefusedException e) {
            outcome = "refused";
            throw e;
        } catch (AggregateNotFoundException e) {
            outcome = "refused";
            // the same answer as for a bond the principal is no party of (BondAccess.unknownBond)
            throw new CommandRefusedException(CommandRefusedException.Kind.NOT_FOUND, "unknown-bond",
                    "No bond '" + e.getAggregateIdentifier() + "' is known").with(e.getAggregateIdentifier());
        } catch (AggregateStreamCreationException e) {
            // a creation command met a stream that exists: the bond exists already
            outcome = "refused";
            throw new CommandRefusedException(CommandRefusedException.Kind.CONFLICT, "bond-already-exists",
                    "A bond with this id already exists; bond ids are never reused");
        } catch (EventStoreException e) {
            if (isUniqueViolation(e)) {
                // Only a creation command can collide on a fresh aggregate stream: the bond exists already.
                outcome = "refused";
                throw new CommandRefusedException(CommandRefusedException.Kind.CONFLICT, "bond-already-exists",
                        "A bond with this id already exists; bond ids are never reused");
            }
            throw e;
        } finally {
            sample.stop(Timer.builder("sib.command.latency").description("Time to decide and store a command")
                    .tag("command", command.getClass().getSimpleName()).tag("outcome", outcome).register(meters));
        }
    }

    /** PostgreSQL's unique_violation (SQLSTATE 23505) anywhere in the cause chain. */
    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
