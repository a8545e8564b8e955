package org.sibledger.api.integrity;

import org.apache.kafka.clients.admin.NewTopic;
import org.sibledger.api.kafka.KafkaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The checkpoint signing key and the checkpoints topic. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CheckpointSettings.class)
public class CheckpointConfig {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointConfig.class);

    /**
     * The configured key ({@code sib.checkpoints.private-key}, else {@code sib.checkpoints.key-file}), else the key
     * file in the data folder, generated there on the first start. Nodes of one ledger must share the key.
     */
    @Bean
    public SigningKey checkpointSigningKey(CheckpointSettings settings, @Value("${sib.data-dir:./data}") String dataDir,
                                           @Value("${sib.embedded.enabled:true}") boolean embedded) {
        SigningKey key;
        String source;
        if (settings.privateKey() != null && !settings.privateKey().isBlank()) {
            key = SigningKey.fromPem(settings.privateKey());
            source = "sib.checkpoints.private-key";
        } else {
            Path file = settings.keyFile() != null && !settings.keyFile().isBlank() ? Path.of(settings.keyFile())
                    : Path.of(dataDir).resolve(CheckpointSettings.DEFAULT_KEY_FILE);
            try {
                key = SigningKey.loadOrCreate(file.toAbsolutePath().normalize());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or create the checkpoint signing key " + file, e);
            }
            source = file.toAbsolutePath().normalize().toString();
            if (!embedded && (settings.keyFile() == null || settings.keyFile().isBlank())) {
                LOG.warn("The checkpoint signing key is the one in the data folder ({}): every node of a ledger must sign "
                        + "with the same key, kept as long as the ledger. Configure it (SIB_CHECKPOINTS_PRIVATE_KEY or "
                        + "sib.checkpoints.key-file)", source);
            }
        }
        LOG.info("Checkpoints are signed with Ed25519 key {} from {}", key.keyId(), source);
        return key;
    }

    @Bean
    public NewTopic checkpointsTopic(CheckpointSettings settings, KafkaSettings kafka) {
        return TopicBuilder.name(settings.topic()).partitions(kafka.partitions()).replicas(kafka.replicationFactor())
                .build();
    }
}
