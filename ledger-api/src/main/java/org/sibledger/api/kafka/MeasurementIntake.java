package org.sibledger.api.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.rest.ContractSchemas;
import org.sibledger.api.rest.JsonErrors;
import org.sibledger.api.rest.MeasurementSubmissions;
import org.sibledger.api.rest.Problems;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.stream.MeasurementMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Evaluators' pipelines submit measurements on {@code sib.measurements.v1}. Each message takes the REST path: the
 * same reading of the measurement, the same command, the Bond's same checks (the evaluator must be appointed on the
 * bond). A message that is refused goes to {@code sib.measurements.v1.rejected} with its problem detail and the
 * consumer moves on, so a poison message never blocks those behind it; any other failure (database or broker away)
 * is thrown, and the container retries the same message without committing its offset. Offsets are committed once
 * per poll (ack mode BATCH, application.yml), after every record of the poll is stored or its rejection acknowledged
 * (a failed record's predecessors first), so a crash redelivers at most that poll, and the idempotency key makes the
 * redelivery a no-op.
 *
 * <p>Who sent a message: Kafka does not tell. With authenticated senders ({@link InboundSenders}) each evaluator
 * writes to a topic of its own that only its principals may write to, and a message there naming another evaluator
 * is refused ({@code sender-not-evaluator}), as is any message on the shared topic ({@code unauthenticated-sender});
 * on a trusted network the shared topic's {@code evaluatorId} is taken as sent.
 */
@Component
public class MeasurementIntake {

    private static final Logger LOG = LoggerFactory.getLogger(MeasurementIntake.class);
    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private final LedgerCommands commands;
    /**
     * The rejections' own producer, without the shared producer's linger.ms: each rejection is sent and acknowledged
     * before the consumer moves on, so a linger (there for the publisher, whose records share requests) would only
     * add itself to every rejected message (InboundKafkaReliabilityTest's 10,000 rejections: 168 s with 5 ms, 82 s
     * without).
     */
    private final KafkaTemplate<String, String> kafka;
    private final long sendTimeoutMs;
    private final InboundSenders senders;

    public MeasurementIntake(LedgerCommands commands, KafkaTemplate<String, String> kafka, KafkaSettings settings,
                             InboundSenders senders) {
        this.commands = commands;
        this.kafka = new KafkaTemplate<>(kafka.getProducerFactory(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
        this.sendTimeoutMs = settings.sendTimeout().toMillis();
        this.senders = senders;
    }

    /** Closes the rejections' producer, after the listener containers have stopped. */
    @PreDestroy
    public void close() {
        kafka.destroy();
    }

    /** The topics read: the shared one, and each evaluator's own with authenticated senders. */
    public String[] topics() {
        return senders.topics().toArray(String[]::new);
    }

    @KafkaListener(id = "measurement-intake", topics = "#{__listener.topics()}", groupId = "sib-ledger-measurements")
    public void receive(ConsumerRecord<String, String> record) throws Exception {
        try {
            MeasurementMessage message = read(record);
            checkSender(record.topic(), message);
            SubmitMeasurementCommand command;
            try {
                command = MeasurementSubmissions.read(JSON, message.bondId(), message.measurement(),
                        "m-" + UUID.nameUUIDFromBytes((message.evaluatorId() + "\u0000" + message.idempotencyKey())
                                .getBytes(StandardCharsets.UTF_8)));
            } catch (CommandRefusedException e) {
                throw e.rerooted("", "/measurement");
            }
            try {
                commands.send(command, message.evaluatorId(), message.idempotencyKey());
            } catch (CommandRefusedException e) {
                // the bond points into the command; the message holds the REST body under /measurement
                throw e.rerooted("/measurement", "").rerooted("", "/measurement");
            }
        } catch (CommandRefusedException refused) {
            reject(record, refused);
        }
    }

    private static MeasurementMessage read(ConsumerRecord<String, String> record) {
        JsonNode tree;
        try {
            tree = record.value() == null ? null : JSON.readTree(record.value());
        } catch (JsonProcessingException e) {
            throw refusal("malformed-json", "The message is not well-formed JSON: " + JsonErrors.describe(e), "/")
                    .worded("message", JsonErrors.describe(e));
        }
        if (tree == null || !tree.isObject()) {
            throw refusal("malformed-json", "The message holds no JSON object", "/").worded("empty");
        }
        List<CommandRefusedException.FieldViolation> violations =
                ContractSchemas.violations(ContractSchemas.MEASUREMENT_MESSAGE_SCHEMA, tree);
        if (!violations.isEmpty()) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-message",
                    "The message does not match the measurement message schema (measurement-message.schema.json): "
                            + violations.get(0).pointer() + " " + violations.get(0).message()
                            + (violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : ""), violations)
                                    .with(violations.get(0).pointer(), violations.get(0).message());
        }
        MeasurementMessage message = new MeasurementMessage(tree.get("idempotencyKey").asText(),
                tree.get("evaluatorId").asText(), tree.get("bondId").asText(), tree.get("measurement"));
        if (record.key() != null && !record.key().equals(message.bondId())) {
            throw refusal("key-mismatch", "The record key '" + record.key() + "' is not the message's bond id '"
                    + message.bondId() + "'; records are keyed by bond id so that a bond's messages keep their order",
                    "/bondId").with(record.key(), message.bondId());
        }
        return message;
    }

    /**
     * With authenticated senders, the topic a message came on names its sender (only that evaluator's principals may
     * write to it): the message must name the same evaluator. Nothing on the shared topic is taken then.
     */
    private void checkSender(String topic, MeasurementMessage message) {
        if (!senders.authenticated()) {
            return;
        }
        String sender = senders.evaluatorOf(topic);
        if (sender == null) {
            throw new CommandRefusedException(CommandRefusedException.Kind.FORBIDDEN, "unauthenticated-sender",
                    "This ledger takes measurements only from authenticated senders: an evaluator sends on its own"
                            + " topic, " + InboundSenders.TOPIC_PREFIX + "<evaluator id>, which only its Kafka principals"
                            + " may write to. Nothing on " + MeasurementMessage.TOPIC + " is recorded; send the message"
                            + " again on " + InboundSenders.topicOf(message.evaluatorId()) + ".",
                    List.of(new CommandRefusedException.FieldViolation("/evaluatorId", "the sender of a message on "
                            + MeasurementMessage.TOPIC + " is not known")));
        }
        if (!sender.equals(message.evaluatorId())) {
            throw new CommandRefusedException(CommandRefusedException.Kind.FORBIDDEN, "sender-not-evaluator",
                    "The message names evaluator '" + message.evaluatorId() + "' but came on " + topic + ", which only"
                            + " evaluator '" + sender + "' may write to: an evaluator submits only its own measurements",
                    List.of(new CommandRefusedException.FieldViolation("/evaluatorId", "the sender is evaluator '"
                            + sender + "', not '" + message.evaluatorId() + "'")))
                                    .with(message.evaluatorId(), topic, sender);
        }
    }

    /**
     * A message whose processing failed in a way that is not a refusal and not a passing outage, several times over:
     * it goes to the rejected topic with a 500 problem (and the failure in the log) instead of holding up every
     * message behind it. It stays there, whole, to be sent again once the cause is fixed.
     */
    public void rejectUnprocessable(ConsumerRecord<String, String> record, Exception failure) {
        LOG.error("Measurement message {}-{}@{} could not be processed; it goes to {}", record.topic(),
                record.partition(), record.offset(), MeasurementMessage.REJECTED_TOPIC, failure);
        try {
            publishRejection(record, "unprocessable-message", 500, "The ledger failed on this message; it was not"
                    + " recorded. Send it again once the failure, logged by the ledger, is fixed.", List.of());
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish the rejection of " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), e);
        }
    }

    /** The original message and the problem, keyed as the original, acknowledged before the offset moves. */
    private void reject(ConsumerRecord<String, String> record, CommandRefusedException refused) throws Exception {
        publishRejection(record, refused.code(), Problems.status(refused).value(), refused.getMessage(),
                refused.violations());
        LOG.info("Rejected measurement message {}-{}@{}: {} {}", record.topic(), record.partition(), record.offset(),
                refused.code(), refused.getMessage());
    }

    private void publishRejection(ConsumerRecord<String, String> record, String code, int status, String detail,
                                  List<CommandRefusedException.FieldViolation> violations) throws Exception {
        ObjectNode rejection = JSON.createObjectNode();
        JsonNode original;
        try {
            original = record.value() == null ? null : JSON.readTree(record.value());
        } catch (JsonProcessingException e) {
            original = null;
        }
        if (original != null && !original.isMissingNode()) {
            rejection.set("message", original);
        } else {
            rejection.put("message", record.value());
        }
        ObjectNode problem = rejection.putObject("problem");
        problem.put("type", Problems.TYPE_BASE + code);
        problem.put("title", code);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("code", code);
        var errors = problem.putArray("errors");
        violations.forEach(v -> errors.addObject().put("pointer", v.pointer()).put("message", v.message()));
        rejection.put("topic", record.topic());
        rejection.put("partition", record.partition());
        rejection.put("offset", record.offset());
        kafka.send(MeasurementMessage.REJECTED_TOPIC, record.key(), JSON.writeValueAsString(rejection))
                .get(sendTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private static CommandRefusedException refusal(String code, String detail, String pointer) {
        return new CommandRefusedException(CommandRefusedException.Kind.INVALID, code, detail,
                List.of(new CommandRefusedException.FieldViolation(pointer, detail)));
    }
}
