package org.sibledger.api.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.sibledger.contracts.stream.LedgerEventEnvelope;
import org.sibledger.contracts.stream.MeasurementMessage;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness tells the truth about publishing: the node is ready only when each of its topics exists with at least
 * the configured partitions and replication and each partition has a leader a producer can send to. Otherwise DOWN,
 * with the reason (a topic the cluster could not create, e.g. with a replication factor larger than its brokers, a
 * partition without a leader, a cluster that does not answer).
 */
@Component("ledgerTopicsHealthIndicator") // shown as "ledgerTopics"
public class LedgerTopicsHealth implements HealthIndicator {

    private static final int TIMEOUT_MS = 3000;

    private final Admin admin;
    private final KafkaSettings settings;
    /** The ledger's three topics and, with authenticated senders, each evaluator's own */
    private final List<String> topicNames;

    public LedgerTopicsHealth(Admin kafkaHealthAdmin, KafkaSettings settings, InboundSenders senders) {
        this.admin = kafkaHealthAdmin;
        this.settings = settings;
        List<String> names = new ArrayList<>(List.of(LedgerEventEnvelope.TOPIC, MeasurementMessage.TOPIC,
                MeasurementMessage.REJECTED_TOPIC));
        names.addAll(senders.evaluatorTopics());
        this.topicNames = List.copyOf(names);
    }

    @Override
    public Health health() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> topics = new LinkedHashMap<>();
        int brokers;
        Map<String, KafkaFuture<TopicDescription>> described;
        try {
            brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS)).nodes()
                    .get(TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS).size();
            described = admin.describeTopics(topicNames, new DescribeTopicsOptions().timeoutMs(TIMEOUT_MS)).topicNameValues();
        } catch (ExecutionException | TimeoutException e) {
            return Health.down().withDetail("reason", "the Kafka cluster did not answer within " + TIMEOUT_MS / 1000
                    + " s: events are stored but cannot be published").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
        for (String topic : topicNames) {
            try {
                TopicDescription description = described.get(topic).get(TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS);
                topics.put(topic, Map.of("partitions", description.partitions().size(), "replicas",
                        description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0)));
                check(topic, description, problems);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    problems.add(topic + " does not exist" + (settings.replicationFactor() > brokers
                            ? ": it needs " + settings.replicationFactor() + " replicas and the cluster has " + brokers
                            + " broker" + (brokers == 1 ? "" : "s") + " (set sib.kafka.replication-factor,"
                            + " SIB_KAFKA_REPLICATION_FACTOR, to at most " + brokers + ")" : ""));
                } else {
                    problems.add(topic + " cannot be described: " + e.getCause().getMessage());
                }
            } catch (TimeoutException e) {
                problems.add(topic + " was not described within " + TIMEOUT_MS / 1000 + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.unknown().build();
            }
        }
        Health.Builder health = problems.isEmpty() ? Health.up() : Health.down().withDetail("reason", String.join("; ", problems));
        return health.withDetail("brokers", brokers).withDetail("topics", topics).build();
    }

    private void check(String topic, TopicDescription description, List<String> problems) {
        if (description.partitions().size() < settings.partitions()) {
            problems.add(topic + " has " + description.partitions().size() + " partitions, fewer than the configured "
                    + settings.partitions());
        }
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partition.replicas().size() < settings.replicationFactor()) {
                problems.add(topic + " partition " + partition.partition() + " has " + partition.replicas().size()
                        + " replica(s), fewer than the configured replication factor " + settings.replicationFactor());
                break;
            }
        }
        for (TopicPartitionInfo partition : description.partitions()) {
            if (partition.leader() == null || partition.leader().isEmpty()) {
                problems.add(topic + " partition " + partition.partition() + " has no leader: nothing can be sent to it");
                break;
            }
        }
    }
}
