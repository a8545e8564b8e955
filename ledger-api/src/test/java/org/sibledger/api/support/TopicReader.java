package org.sibledger.api.support;

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
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
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
}
