package org.sibledger.api.integrity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Where the ledger's checkpoint signing key comes from, how often checkpoints are signed and where they are published.
 *
 * @param privateKey the Ed25519 private key, PKCS#8 PEM or its base64 (e.g. from a secret); wins over the file
 * @param keyFile    a PKCS#8 PEM file holding the key; when absent, {@code <sib.data-dir>/checkpoint-signing-key.pem},
 *                   created with a new key on the first start and reused afterwards
 * @param topic      the Kafka topic of the signed checkpoints, keyed by bond id
 * @param interval   how often the heads that moved are signed: at most one checkpoint per bond per interval
 */
@ConfigurationProperties("sib.checkpoints")
public record CheckpointSettings(String privateKey,
                                 String keyFile,
                                 @DefaultValue(CheckpointSettings.DEFAULT_TOPIC) String topic,
                                 @DefaultValue("1s") Duration interval) {

    public static final String DEFAULT_TOPIC = "sib.ledger.checkpoints.v1";
    public static final String DEFAULT_KEY_FILE = "checkpoint-signing-key.pem";
}
