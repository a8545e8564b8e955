package org.sibledger.api.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.api.kafka.KafkaSettings;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.integrity.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every {@code sib.checkpoints.interval} (1 s), signs a checkpoint of each bond whose head moved since its last one
 * (the pending heads {@link Checkpointer} notes), stores it and publishes it on the checkpoints topic, keyed by bond
 * id, in one transaction that commits once the broker has acknowledged every checkpoint: if the broker or the database
 * is away, the heads stay pending and are signed at a later run. At most one signature per bond per interval (a JDK
 * Ed25519 signature costs about a millisecond of CPU here), so a busy bond does not cost a signature per command.
 */
@Component
public class CheckpointSigner {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointSigner.class);
    private static final ObjectMapper JSON = ContractsJson.newMapper();
    private static final int BATCH = 500;

    private final SigningKey key;
    private final CheckpointStore store;
    private final KafkaTemplate<String, String> kafka;
    private final TransactionTemplate transaction;
    private final String topic;
    private final long sendTimeoutMs;
    private final Clock clock = Clock.systemUTC();

    public CheckpointSigner(SigningKey key, CheckpointStore store, KafkaTemplate<String, String> kafka,
                            PlatformTransactionManager transactions, CheckpointSettings settings,
                            KafkaSettings kafkaSettings) {
        this.key = key;
        this.store = store;
        this.kafka = kafka;
        this.transaction = new TransactionTemplate(transactions);
        this.topic = settings.topic();
        this.sendTimeoutMs = kafkaSettings.sendTimeout().toMillis();
    }

    /** Spring's scheduler runs it every {@code sib.checkpoints.interval} (see LedgerApplication and spring.task.scheduling). */
    @Scheduled(initialDelayString = "${sib.checkpoints.interval:1s}", fixedDelayString = "${sib.checkpoints.interval:1s}")
    void scheduled() {
        try {
            Integer signed;
            do {
                signed = transaction.execute(status -> signSome());
            } while (signed != null && signed == BATCH);
        } catch (RuntimeException e) {
            LOG.warn("Checkpoints were not signed in this run; the heads stay pending for the next: {}", e.toString());
        }
    }

    private int signSome() {
        List<Map.Entry<String, CheckpointStore.Head>> heads = store.claimPending(BATCH);
        if (heads.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        List<Checkpoint> signed = new ArrayList<>(heads.size());
        for (Map.Entry<String, CheckpointStore.Head> head : heads) {
            signed.add(Checkpoint.sign(head.getKey(), head.getValue().sequence(), head.getValue().hash(), now,
                    key.privateKey(), key.publicKey()));
        }
        store.add(signed);
        List<CompletableFuture<?>> sent = new ArrayList<>(signed.size());
        for (Checkpoint checkpoint : signed) {
            try {
                sent.add(kafka.send(topic, checkpoint.bondId(), JSON.writeValueAsString(checkpoint)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the checkpoint of " + checkpoint.bondId(), e);
            }
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(sendTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker acknowledged checkpoints", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge every checkpoint", e);
        }
        return heads.size();
    }
}
