package org.sibledger.api.support;

import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.sibledger.api.embedded.EmbeddedKafkaServer;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger node for a test class, on a database of its own, started as {@code java -jar} starts it. Two kinds:
 * <ul>
 *   <li>{@code new LedgerNodeExtension(args...)}: a node of the class's own, closed after the class. Choose it when
 *   in doubt, and always for a class that restarts its node, or asserts anything over the whole node.</li>
 *   <li>{@link #shared LedgerNodeExtension.shared(args...)}: one node per distinct argument list per test JVM, started
 *   for the first class that asks for it and kept for every later one (closed when the launcher session closes,
 *   {@link InfrastructureSession}). It saves a start (2-3 s of CPU) per class.</li>
 * </ul>
 * The rule for sharing: the classes on a shared node see each other's data, so a class may share only if (1) every
 * id it creates (bond ids, idempotency keys, parties and evaluators it registers) is its own, unused by any other
 * class on that node; (2) it asserts nothing over the whole database or node: no count of all the rows of a table
 * against a fixed number (a count before and after a request of its own is fine: the classes on a node run one at a
 * time), no exact list or total of what a party sees across its bonds, no metrics, no replay or reset of the read
 * models, no dead letters or corrupted rows of its own making, no processors paused, beans swapped or settings
 * changed while it runs; (3) it does not depend on being first (empty lists, first sequence numbers).
 * <p>
 * A class marked {@code @Execution(CONCURRENT)} runs beside the main stream of classes (junit-platform.properties), so
 * its own node is given a Kafka broker of its own as well (started before the node, closed after it): every node joins
 * the one consumer group of the inbound topic on the broker it uses, and a node on the shared broker beside another
 * would take partitions, and so another class's messages, from it. Such a class reads the topics through
 * {@link #bootstrapServers()}. It may not share a node. JUnit runs the tests of such a class beside each other as well,
 * unless the class holds a resource lock: a class with more than one test holds one of its own ({@code @ResourceLock}
 * with its name), so its tests take its node one after another.
 */
public final class LedgerNodeExtension implements BeforeAllCallback, AfterAllCallback {

    /** The shared nodes of this test JVM, by their arguments. */
    private static final Map<List<String>, LedgerNode> SHARED = new LinkedHashMap<>();

    private final String[] args;
    private final boolean shared;
    private String database;
    private LedgerNode node;
    /** The broker of a class that runs beside others; null for the main stream's classes, on the shared broker. */
    private EmbeddedKafkaServer broker;

    /** A node of this class's own, started before its tests and closed after them. */
    public LedgerNodeExtension(String... args) {
        this(false, args);
    }

    private LedgerNodeExtension(boolean shared, String... args) {
        this.args = args;
        this.shared = shared;
    }

    /**
     * The test JVM's node with these arguments, shared with every other class that asks for the same arguments: see
     * the class's rule for sharing. It cannot be restarted; {@link #afterAll} leaves it running.
     */
    public static LedgerNodeExtension shared(String... args) {
        return new LedgerNodeExtension(true, args);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        new InfrastructureExtension().beforeAll(context);
        if (shared) {
            // the classes on a shared node must run one at a time (junit-platform.properties: only classes marked
            // CONCURRENT run beside others, and those bring their own servers)
            if (runsBesideOthers(context)) {
                throw new IllegalStateException(context.getRequiredTestClass().getSimpleName()
                        + " runs beside other classes and so cannot share a ledger node with them");
            }
            node = sharedNode(args);
            // the measurement intake reads the inbound topic again, for this class (see afterAll)
            intake(node).forEach(MessageListenerContainer::start);
        } else {
            database = TestInfrastructure.get().newDatabase();
            if (runsBesideOthers(context)) {
                Class<?> type = context.getRequiredTestClass();
                if (hasSeveralTests(type) && !holdsExclusiveLock(type)) {
                    throw new IllegalStateException(type.getSimpleName() + " runs beside other classes and has several"
                            + " tests: give it @ResourceLock(\"" + type.getSimpleName() + "\") so they do not run"
                            + " beside each other on its one node");
                }
                if (!namesBroker(args)) {
                    broker = startBroker();
                }
            }
            node = LedgerNode.start(database, onOwnBroker(args));
        }
    }

    /** More than one test method, or one whose invocations JUnit may run beside each other (templates, factories). */
    private static boolean hasSeveralTests(Class<?> type) {
        List<java.lang.reflect.Method> tests = AnnotationSupport.findAnnotatedMethods(type, Testable.class,
                HierarchyTraversalMode.TOP_DOWN);
        return tests.size() > 1 || tests.stream().anyMatch(test -> AnnotationSupport.isAnnotated(test, TestTemplate.class)
                || AnnotationSupport.isAnnotated(test, TestFactory.class));
    }

    /** A resource lock that makes the class's tests take turns (read-write; a read lock is shared). */
    private static boolean holdsExclusiveLock(Class<?> type) {
        return AnnotationSupport.findRepeatableAnnotations(type, ResourceLock.class).stream()
                .anyMatch(lock -> lock.mode() == ResourceAccessMode.READ_WRITE);
    }

    private static boolean runsBesideOthers(ExtensionContext context) {
        Execution execution = context.getRequiredTestClass().getAnnotation(Execution.class);
        return execution != null && execution.value() == ExecutionMode.CONCURRENT;
    }

    private static EmbeddedKafkaServer startBroker() {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "class-broker-");
            return EmbeddedKafkaServer.start(dir, 0);
        } catch (Exception e) {
            throw new IllegalStateException("could not start a Kafka broker for a class running beside others", e);
        }
    }

    /** The arguments, with the class's own broker where it has one (unless the arguments name a broker). */
    private String[] onOwnBroker(String... args) {
        if (broker == null || namesBroker(args)) {
            return args;
        }
        String[] withBroker = Arrays.copyOf(args, args.length + 1);
        withBroker[args.length] = "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers();
        return withBroker;
    }

    private static boolean namesBroker(String... args) {
        return Arrays.stream(args).anyMatch(arg -> arg.startsWith("--spring.kafka.bootstrap-servers="));
    }

    /** The broker this class's node uses: its own if it runs beside others, else the test JVM's shared one. */
    public String bootstrapServers() {
        return node.bean(org.springframework.core.env.Environment.class).getRequiredProperty("spring.kafka.bootstrap-servers");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (node == null) {
            // the node did not start; a broker started for it is closed all the same
            closeBroker();
            return;
        }
        if (shared) {
            // Every node's measurement intake is in the one consumer group on the test JVM's broker: an idle shared
            // node left in it would take partitions of the inbound topic from a later class's own node (and record or
            // refuse that class's messages on its own database). It reads again when a class that shares it starts.
            intake(node).forEach(MessageListenerContainer::stop);
        } else {
            try {
                node.close();
            } finally {
                closeBroker();
            }
        }
    }

    private void closeBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    private static synchronized LedgerNode sharedNode(String... args) {
        return SHARED.computeIfAbsent(List.of(args),
                key -> LedgerNode.start(TestInfrastructure.get().newDatabase(), args));
    }

    private static List<MessageListenerContainer> intake(LedgerNode node) {
        return new ArrayList<>(node.bean(KafkaListenerEndpointRegistry.class).getListenerContainers());
    }

    /** Closes the shared nodes; by {@link InfrastructureSession}, before the infrastructure they use stops. */
    static synchronized void closeShared() {
        for (LedgerNode node : SHARED.values()) {
            try {
                node.close();
            } catch (RuntimeException e) {
                System.err.println("a shared ledger node did not close cleanly: " + e);
            }
        }
        SHARED.clear();
    }

    /** Stops the node and starts another on the same database with these arguments; not for a shared node. */
    public void restart(String... newArgs) {
        if (shared) {
            throw new IllegalStateException("a shared ledger node cannot be restarted: give the class a node of its own"
                    + " (new LedgerNodeExtension(...))");
        }
        node.close();
        node = LedgerNode.start(database, onOwnBroker(newArgs));
    }

    public LedgerNode node() {
        return node;
    }

    public Api api(String user) {
        return node.api(user);
    }

    public Api api(String user, String password) {
        return node.api(user, password);
    }

    public Api anonymous() {
        return node.anonymous();
    }

    public org.springframework.jdbc.core.JdbcTemplate sql() {
        return node.sql();
    }

    public <T> T bean(Class<T> type) {
        return node.bean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return node.bean(name, type);
    }
}
