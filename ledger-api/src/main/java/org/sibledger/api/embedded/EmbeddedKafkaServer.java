package org.sibledger.api.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), running inside this JVM on a log
 * directory that outlives the process. The storage is formatted on first start, as kafka-storage.sh would.
 */
public final class EmbeddedKafkaServer implements AutoCloseable {

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final int port;
    private final Path logDirectory;

    private EmbeddedKafkaServer(KafkaRaftServer server, int port, Path logDirectory) {
        this.server = server;
        this.port = port;
        this.logDirectory = logDirectory;
    }

    /** @param port 0 for any free port */
    public static EmbeddedKafkaServer start(Path logDirectory, int port) throws Exception {
        return start(logDirectory, port, "PLAINTEXT", Map.of());
    }

    /**
     * @param port             0 for any free port
     * @param securityProtocol of the broker's listener and of the controller's, e.g. SASL_PLAINTEXT
     * @param settings         further broker settings, e.g. SASL's JAAS configuration and an authorizer
     */
    public static EmbeddedKafkaServer start(Path logDirectory, int port, String securityProtocol,
                                            Map<String, String> settings) throws Exception {
        Files.createDirectories(logDirectory);
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        props.put("listeners", securityProtocol + "://localhost:" + brokerPort + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", securityProtocol + "://localhost:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", securityProtocol);
        props.put("listener.security.protocol.map", securityProtocol + ":" + securityProtocol + ",CONTROLLER:"
                + securityProtocol);
        props.put("log.dirs", logDirectory.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("log.retention.hours", "-1");
        props.putAll(settings);
        KafkaConfig config = new KafkaConfig(props, false);

        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDirectory.toString())
                    .setDirectories(java.util.List.of(logDirectory.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return new EmbeddedKafkaServer(server, brokerPort, logDirectory);
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Path logDirectory() {
        return logDirectory;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
