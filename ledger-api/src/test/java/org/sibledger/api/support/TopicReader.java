package org.sibledger.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a topic from its beginning with a plain consumer, as an outside client of the ledger would. */
public final class TopicReader {

    private TopicReader() {
    }

    /** All records of the topic, read until {@code until} holds for the list read so far or ten seconds pass. */
    public static List<ConsumerRecord<String, String>> readUntil(String topic,
                                                                 Predicate<List<ConsumerRecord<String, String>>> until) {
        return readUntil(TestInfrastructure.get().bootstrapServers(), topic, until, Duration.ofSeconds(10));
    }

    /** The same from another broker, for at most {@code timeout}. */
    public static List<ConsumerRecord<String, String>> readUntil(String bootstrapServers, String topic,
                                                                 Predicate<List<ConsumerRecord<String, String>>> until,
                                                                 Duration timeout) {
        return readUntil(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, until, timeout);
    }

    /** The same with these client settings (the broker's address, and credentials for a secured one). */
    public static List<ConsumerRecord<String, String>> readUntil(Map<String, Object> client, String topic,
                                                                 Predicate<List<ConsumerRecord<String, String>>> until,
                                                                 Duration timeout) {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.putAll(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!until.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The outbound topic from its beginning until {@code events} distinct events of {@code bondId} have arrived. */
    public static List<ConsumerRecord<String, String>> readBond(String bootstrapServers, String bondId, long events,
                                                                Duration timeout) {
        return readUntil(bootstrapServers, "sib.ledger.events.v1", records -> records.stream()
                .filter(r -> bondId.equals(r.key())).map(r -> envelope(r).get("eventId").asText()).distinct()
                .count() >= events, timeout);
    }

    /**
     * A bond's records on the outbound topic as a consumer sees them after de-duplicating by eventId (delivery is at
     * least once, API.md): every later copy is the same record as the first, and the first copies are the whole
     * stream, sequences 0 to {@code events - 1}, in order. Returns how many copies were dropped.
     */
    public static int assertWholeStreamInOrder(List<ConsumerRecord<String, String>> records, String bondId, long events) {
        Map<String, String> firstCopies = new java.util.HashMap<>();
        List<Long> sequences = new ArrayList<>();
        int redelivered = 0;
        for (ConsumerRecord<String, String> record : records) {
            if (!bondId.equals(record.key())) {
                continue;
            }
            JsonNode envelope = envelope(record);
            String first = firstCopies.putIfAbsent(envelope.get("eventId").asText(), record.value());
            if (first != null) {
                assertThat(record.value()).as("a redelivered event is the same record").isEqualTo(first);
                redelivered++;
            } else {
                sequences.add(envelope.get("sequence").asLong());
            }
        }
        assertThat(sequences).as("the bond's events on the topic, de-duplicated by eventId: all, in order")
                .isEqualTo(java.util.stream.LongStream.range(0, events).boxed().toList());
        return redelivered;
    }

    private static JsonNode envelope(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + record.value(), e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
}
