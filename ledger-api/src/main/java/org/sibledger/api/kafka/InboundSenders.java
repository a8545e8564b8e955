package org.sibledger.api.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeAclsOptions;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.sibledger.contracts.stream.MeasurementMessage;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Who may submit measurements for which evaluator by stream. Kafka does not tell a consumer who produced a record,
 * so the ledger lets the broker say it: with {@code sib.kafka.inbound.principals} set (evaluator party id to the
 * Kafka principals that send for it), each evaluator has a topic of its own, {@code sib.measurements.v1.from.<id>},
 * which the cluster's ACLs let only that evaluator's principals write to; a message read from it comes from that
 * evaluator, and one naming another evaluator is refused. The ledger checks those ACLs at start and in readiness
 * rather than trusting them. Without the setting the ledger reads {@code sib.measurements.v1} only and takes
 * {@code evaluatorId} as sent: a trusted network's arrangement (the embedded default).
 *
 * @param principals evaluator party id to its principals, e.g. {@code evaluator: [User:eval-pipeline]}
 */
@ConfigurationProperties("sib.kafka.inbound")
public record InboundSenders(@DefaultValue Map<String, List<String>> principals) {

    /** The prefix of the evaluators' own topics. */
    public static final String TOPIC_PREFIX = MeasurementMessage.TOPIC + ".from.";
    private static final Pattern PARTY_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int TIMEOUT_MS = 5000;

    public InboundSenders {
        Map<String, List<String>> checked = new TreeMap<>();
        Map<String, String> evaluatorOfPrincipal = new HashMap<>();
        principals.forEach((evaluator, names) -> {
            if (!PARTY_ID.matcher(evaluator).matches()) {
                throw new IllegalArgumentException("sib.kafka.inbound.principals: '" + evaluator
                        + "' is not an evaluator's party id (lower-case letters, digits, '.', '_', '-')");
            }
            List<String> cleaned = names.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
            if (cleaned.isEmpty()) {
                throw new IllegalArgumentException("sib.kafka.inbound.principals." + evaluator + " names no principal");
            }
            for (String principal : cleaned) {
                if (!principal.contains(":") || principal.endsWith(":*")) {
                    throw new IllegalArgumentException("sib.kafka.inbound.principals." + evaluator + ": '" + principal
                            + "' is not one Kafka principal (as the broker names it, e.g. User:eval-pipeline)");
                }
                String other = evaluatorOfPrincipal.put(principal, evaluator);
                if (other != null && !other.equals(evaluator)) {
                    throw new IllegalArgumentException("sib.kafka.inbound.principals: " + principal
                            + " is given for both '" + other + "' and '" + evaluator + "'; a principal sends for one evaluator");
                }
            }
            checked.put(evaluator, List.copyOf(cleaned));
        });
        principals = Map.copyOf(checked);
    }

    /** Whether senders are authenticated (a mapping is configured); otherwise the network is trusted. */
    public boolean authenticated() {
        return !principals.isEmpty();
    }

    public static String topicOf(String evaluatorId) {
        return TOPIC_PREFIX + evaluatorId;
    }

    /** The evaluators' own topics, in the order of their ids. */
    public List<String> evaluatorTopics() {
        return new TreeMap<>(principals).keySet().stream().map(InboundSenders::topicOf).toList();
    }

    /** What the intake reads: the shared topic, and each evaluator's own when senders are authenticated. */
    public List<String> topics() {
        List<String> topics = new ArrayList<>(List.of(MeasurementMessage.TOPIC));
        topics.addAll(evaluatorTopics());
        return topics;
    }

    /** The evaluator a topic belongs to, or null for the shared topic (and any topic not configured). */
    public String evaluatorOf(String topic) {
        if (!topic.startsWith(TOPIC_PREFIX)) {
            return null;
        }
        String evaluator = topic.substring(TOPIC_PREFIX.length());
        return principals.containsKey(evaluator) ? evaluator : null;
    }

    public List<String> principalsOf(String evaluator) {
        return principals.getOrDefault(evaluator, List.of());
    }

    /**
     * What is wrong with the cluster's ACLs on the evaluators' topics, in words (empty when each topic may be
     * written to by its evaluator's principals and by no one else). A principal allowed WRITE or ALL on the topic, by
     * a literal, prefixed or wildcard ACL, must be one of the evaluator's; at least one of the evaluator's must be
     * allowed (a cluster with {@code allow.everyone.if.no.acl.found} lets anyone write to a topic without ACLs).
     * Super users are not listed in ACLs: they are trusted as the broker's administrators are.
     */
    public List<String> aclProblems(Admin admin) throws InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<String, Collection<AclBinding>> byTopic = new LinkedHashMap<>();
        for (String topic : evaluatorTopics()) {
            try {
                byTopic.put(topic, admin.describeAcls(new AclBindingFilter(
                                new ResourcePatternFilter(ResourceType.TOPIC, topic, PatternType.MATCH),
                                AccessControlEntryFilter.ANY), new DescribeAclsOptions().timeoutMs(TIMEOUT_MS))
                        .values().get(TIMEOUT_MS + 1000, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SecurityDisabledException) {
                    return List.of("the Kafka cluster has no authorizer, so anyone who can connect may write to any"
                            + " evaluator's topic: senders cannot be authenticated (configure SASL or mTLS and an"
                            + " authorizer, or remove sib.kafka.inbound.principals on a trusted network)");
                }
                if (e.getCause() instanceof ClusterAuthorizationException) {
                    return List.of("the ledger's Kafka principal may not read the cluster's ACLs, so it cannot check"
                            + " who may write to the evaluators' topics (allow it DESCRIBE on the CLUSTER)");
                }
                return List.of("the ACLs of " + topic + " cannot be read: " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                return List.of("the Kafka cluster did not list the ACLs of " + topic + " within " + TIMEOUT_MS / 1000 + " s");
            }
        }
        byTopic.forEach((topic, bindings) -> {
            String evaluator = evaluatorOf(topic);
            Set<String> own = Set.copyOf(principalsOf(evaluator));
            boolean ownMayWrite = false;
            for (AclBinding binding : bindings) {
                var entry = binding.entry();
                if (entry.permissionType() != AclPermissionType.ALLOW
                        || (entry.operation() != AclOperation.WRITE && entry.operation() != AclOperation.ALL)) {
                    continue;
                }
                if (own.contains(entry.principal())) {
                    ownMayWrite = true;
                } else {
                    problems.add(entry.principal() + " may write to " + topic + " (an ALLOW " + entry.operation()
                            + " ACL on " + binding.pattern().patternType().name().toLowerCase() + " '"
                            + binding.pattern().name() + "'), but only evaluator '" + evaluator + "' may: "
                            + String.join(", ", own));
                }
            }
            if (!ownMayWrite) {
                problems.add("no ACL lets " + String.join(", ", own) + " write to " + topic
                        + ": evaluator '" + evaluator + "' cannot send, and a cluster that allows everyone when no ACL"
                        + " is found would let anyone send for it");
            }
        });
        return problems;
    }
}
