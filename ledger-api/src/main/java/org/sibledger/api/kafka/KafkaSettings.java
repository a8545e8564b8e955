package org.sibledger.api.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/** The ledger's topics and how long a publish may wait for the broker's acknowledgement. */
@ConfigurationProperties("sib.kafka")
public record KafkaSettings(@DefaultValue("6") int partitions,
                            @DefaultValue("1") short replicationFactor,
                            @DefaultValue("30s") Duration sendTimeout) {
}
