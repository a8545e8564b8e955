package org.sibledger.api.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.sibledger.contracts.stream.LedgerEventEnvelope;
import org.sibledger.contracts.stream.MeasurementMessage;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.sibledger.api.embedded.InfrastructureUnavailableException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.List;
import java.util.concurrent.TimeUnit;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KafkaSettings.class, InboundSenders.class})
public class KafkaConfig {

    @Bean
    public NewTopic ledgerEventsTopic(KafkaSettings settings) {
        return TopicBuilder.name(LedgerEventEnvelope.TOPIC)
                .partitions(settings.partitions())
                .replicas(settings.replicationFactor())
                .build();
    }

    @Bean
    public NewTopic measurementsTopic(KafkaSettings settings) {
        return TopicBuilder.name(MeasurementMessage.TOPIC).partitions(settings.partitions())
                .replicas(settings.replicationFactor()).build();
    }

    @Bean
    public NewTopic rejectedMeasurementsTopic(KafkaSettings settings) {
        return TopicBuilder.name(MeasurementMessage.REJECTED_TOPIC).partitions(settings.partitions())
                .replicas(settings.replicationFactor()).build();
    }

    /** Each evaluator's own inbound topic, when senders are authenticated (InboundSenders). */
    @Bean
    public KafkaAdmin.NewTopics evaluatorTopics(KafkaSettings settings, InboundSenders senders) {
        return new KafkaAdmin.NewTopics(senders.evaluatorTopics().stream().map(topic -> TopicBuilder.name(topic)
                .partitions(settings.partitions()).replicas(settings.replicationFactor()).build())
                .toArray(NewTopic[]::new));
    }

    /**
     * With authenticated senders the ledger does not start reading measurements on ACLs it has not seen: before the
     * listeners start, the cluster must show that each evaluator's topic may be written to by that evaluator's
     * principals alone; otherwise start-up fails, saying what is wrong.
     */
    @Bean
    public SmartInitializingSingleton inboundSendersCheck(InboundSenders senders, Admin kafkaHealthAdmin) {
        return () -> {
            if (!senders.authenticated()) {
                return;
            }
            List<String> problems;
            try {
                problems = senders.aclProblems(kafkaHealthAdmin);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the cluster's ACLs", e);
            }
            if (!problems.isEmpty()) {
                throw new InfrastructureUnavailableException("Kafka does not vouch for the senders of measurements: "
                        + String.join("; ", problems),
                        "Let each evaluator's principals, and no one else, write to its topic "
                                + InboundSenders.TOPIC_PREFIX + "<evaluator id> (kafka-acls.sh --add --allow-principal"
                                + " ... --operation Write --topic ...), or correct sib.kafka.inbound.principals"
                                + " (README, Integrating).", null);
            }
        };
    }

    /**
     * Part of readiness: on a trusted network (no sib.kafka.inbound.principals) UP, saying so; with authenticated
     * senders UP only while the evaluators' topics can be written to by their own principals alone.
     */
    @Bean("inboundSendersHealthIndicator")
    public HealthIndicator inboundSendersHealthIndicator(InboundSenders senders, Admin kafkaHealthAdmin) {
        return () -> {
            if (!senders.authenticated()) {
                return Health.up().withDetail("senders", "not authenticated: " + MeasurementMessage.TOPIC
                        + " is for a trusted network, evaluatorId is taken as sent").build();
            }
            try {
                List<String> problems = senders.aclProblems(kafkaHealthAdmin);
                Health.Builder health = problems.isEmpty() ? Health.up()
                        : Health.down().withDetail("reason", String.join("; ", problems));
                return health.withDetail("senders", senders.principals()).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.unknown().build();
            }
        };
    }

    /**
     * Inbound failures that are not refusals. A passing outage (the database or broker away, a lost race) is retried
     * on the same record without end and without committing its offset: a measurement is never skipped for it. Any
     * other failure is retried three times and then the message goes to the rejected topic with a 500 problem, so
     * that one message the ledger cannot process never holds up the ones behind it. Refusals never reach here.
     */
    @Bean
    public DefaultErrorHandler kafkaErrorHandler(@org.springframework.context.annotation.Lazy MeasurementIntake intake) {
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, failure) -> intake.rejectUnprocessable(castRecord(record), failure),
                new org.springframework.util.backoff.FixedBackOff(500, 3));
        handler.setBackOffFunction((record, failure) -> org.sibledger.api.command.Transience.isTransient(failure) ? untilItWorks() : null);
        handler.setAckAfterHandle(false);
        handler.setLogLevel(org.springframework.kafka.KafkaException.Level.WARN);
        return handler;
    }

    private static ExponentialBackOff untilItWorks() {
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        return backOff;
    }

    @SuppressWarnings("unchecked")
    private static org.apache.kafka.clients.consumer.ConsumerRecord<String, String> castRecord(
            org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record) {
        return (org.apache.kafka.clients.consumer.ConsumerRecord<String, String>) record;
    }

    /** Kafka's part of /actuator/health: the cluster answers a metadata request within three seconds. */
    @Bean(destroyMethod = "close")
    public Admin kafkaHealthAdmin(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean("kafkaHealthIndicator")
    public AbstractHealthIndicator kafkaHealthIndicator(Admin kafkaHealthAdmin) {
        return new AbstractHealthIndicator("Kafka health check failed") {
            @Override
            protected void doHealthCheck(Health.Builder builder) throws Exception {
                var cluster = kafkaHealthAdmin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
                String clusterId = cluster.clusterId().get(3, TimeUnit.SECONDS);
                int nodes = cluster.nodes().get(3, TimeUnit.SECONDS).size();
                builder.up().withDetail("clusterId", clusterId).withDetail("nodes", nodes);
            }
        };
    }
}
