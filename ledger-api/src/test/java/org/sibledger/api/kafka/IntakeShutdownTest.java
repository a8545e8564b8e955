package org.sibledger.api.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sibledger.api.support.InfrastructureExtension;
import org.sibledger.api.support.LedgerNode;
import org.sibledger.api.support.Producers;
import org.sibledger.api.support.TestInfrastructure;
import org.sibledger.api.support.TopicReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measurement consumer, stopped as SIGTERM stops it (the context closing) while messages keep coming, commits
 * exactly what it processed: every message of the partition below the committed offset was processed (here: refused,
 * as its bond does not exist, so each leaves one rejection naming its offset), none at or above it was, and none was
 * processed twice; the next node takes up from there and processes the rest, so across the stop no message is
 * skipped and none is processed twice.
 */
@ExtendWith(InfrastructureExtension.class)
class IntakeShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REJECTED = "sib.measurements.v1.rejected";

    @Test
    void stoppingCommitsWhatWasProcessedAndNothingElse() throws Exception {
        String bond = "gone-" + System.nanoTime();
        LedgerNode node = LedgerNode.start(TestInfrastructure.get().newDatabase());
        ConcurrentLinkedQueue<RecordMetadata> sent = new ConcurrentLinkedQueue<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread producerThread = new Thread(() -> {
            try (KafkaProducer<String, String> producer = Producers.strings()) {
                for (int i = 0; sending.get() && i < 5000; i++) {
                    sent.add(producer.send(new ProducerRecord<>("sib.measurements.v1", bond, """
                            {"idempotencyKey": "k-%d", "evaluatorId": "evaluator", "bondId": "%s",
                             "measurement": {"type": "OUTCOME_CLAIMS", "evidenceRef": "batch-%d",
                               "claims": [{"participantRef": "p-1", "metric": "earns-768", "achievedOn": "2019-06-01"}]}}"""
                            .formatted(i, bond, i))).get());
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producerThread.start();
        try {
            TopicReader.readUntil(TestInfrastructure.get().bootstrapServers(), REJECTED,
                    records -> records.stream().filter(r -> bond.equals(r.key())).count() >= 100, Duration.ofSeconds(60));
        } finally {
            node.close(); // as on SIGTERM: the context closes while messages keep coming
            sending.set(false);
            producerThread.join(60_000);
        }

        TopicPartition partition = new TopicPartition("sib.measurements.v1", sent.peek().partition());
        long committed;
        long rejectedTotal;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.get().bootstrapServers()))) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets("sib-ledger-measurements")
                    .partitionsToOffsetAndMetadata().get().get(partition);
            committed = offset.offset();
            var rejectedPartitions = admin.describeTopics(List.of(REJECTED)).allTopicNames().get()
                    .get(REJECTED).partitions().stream()
                    .map(p -> new TopicPartition(REJECTED, p.partition())).toList();
            var ends = admin.listOffsets(rejectedPartitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get();
            var starts = admin.listOffsets(rejectedPartitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())))
                    .all().get();
            rejectedTotal = rejectedPartitions.stream().mapToLong(p -> ends.get(p).offset() - starts.get(p).offset()).sum();
        }
        List<Long> processed = processed(bond, partition, TopicReader.readUntil(
                TestInfrastructure.get().bootstrapServers(), REJECTED, records -> records.size() >= rejectedTotal,
                Duration.ofSeconds(30)));
        Set<Long> ours = sent.stream().map(RecordMetadata::offset).collect(Collectors.toCollection(TreeSet::new));
        Set<Long> belowCommitted = ours.stream().filter(o -> o < committed).collect(Collectors.toCollection(TreeSet::new));
        assertThat(belowCommitted).as("messages below the committed offset " + committed).hasSizeGreaterThanOrEqualTo(100);
        assertThat(ours.size()).as("messages left behind at the stop").isGreaterThan(belowCommitted.size());
        assertThat(new TreeSet<>(processed)).as("processed = below the committed offset " + committed + " of "
                + ours.size() + " sent").isEqualTo(belowCommitted);
        assertThat(processed).as("each processed once").hasSameSizeAs(belowCommitted);

        // the next node takes up from the committed offset: every message processed, none twice
        LedgerNode next = LedgerNode.start(TestInfrastructure.get().newDatabase());
        try {
            List<Long> all = processed(bond, partition, TopicReader.readUntil(TestInfrastructure.get().bootstrapServers(),
                    REJECTED, records -> records.stream().filter(r -> bond.equals(r.key())).count() >= ours.size(),
                    Duration.ofSeconds(60)));
            assertThat(new TreeSet<>(all)).as("processed by the two nodes").isEqualTo(ours);
            assertThat(all).as("each processed once across the stop").hasSameSizeAs(ours);
        } finally {
            next.close();
        }
        System.out.println("IntakeShutdownTest: " + ours.size() + " sent, " + processed.size()
                + " processed and committed (offset " + committed + ") when the consumer stopped, the rest by the next node");
    }

    /** The offsets of the bond's messages that have a rejection, one entry per rejection. */
    private static List<Long> processed(String bond, TopicPartition partition,
                                        List<ConsumerRecord<String, String>> rejections) throws Exception {
        List<Long> processed = new ArrayList<>();
        for (ConsumerRecord<String, String> rejection : rejections) {
            if (bond.equals(rejection.key())) {
                JsonNode value = JSON.readTree(rejection.value());
                assertThat(value.at("/problem/code").asText()).isEqualTo("unknown-bond");
                assertThat(value.get("partition").asInt()).isEqualTo(partition.partition());
                processed.add(value.get("offset").asLong());
            }
        }
        return processed;
    }
}
