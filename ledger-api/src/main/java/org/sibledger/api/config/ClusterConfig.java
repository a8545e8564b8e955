package org.sibledger.api.config;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What lets several ledger nodes share one PostgreSQL without Axon Server:
 * <ul>
 *   <li>each node claims processor segments under its own id ({@code sib.node-id}, by default the JVM's name plus a
 *   random suffix, so two nodes in one JVM or two containers with pid 1 never share claims); a node that stops
 *   releases its claims and another picks them up, and a node that dies loses them after the claim timeout;</li>
 *   <li>a second append at the same place of a bond's stream is recognised (PostgreSQL's unique_violation) as Axon's
 *   {@link ConcurrencyException}, or its stream-creation variant for a bond that exists already;</li>
 *   <li>a command that lost such a race is sent again, a bounded number of times: the retry loads the bond with the
 *   winner's events and decides again, so it is applied once or refused, never twice.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfig {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfig.class);

    @Bean
    public TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer,
                                 @Value("${sib.node-id:}") String configuredNodeId,
                                 @Value("${axon.eventhandling.tokenstore.claim-timeout:10s}") Duration claimTimeout) {
        String nodeId = configuredNodeId.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8)
                : configuredNodeId;
        LOG.info("This node claims event processor segments as '{}'", nodeId);
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .serializer(serializer)
                .nodeId(nodeId)
                .claimTimeout(claimTimeout)
                .build();
    }

    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return ClusterConfig::isUniqueViolation;
    }

    @Bean
    public CommandGateway commandGateway(CommandBus commandBus,
                                         @Value("${sib.command.conflict-retries:10}") int retries) {
        ScheduledExecutorService retryExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sib-command-retry");
            thread.setDaemon(true);
            return thread;
        });
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(ExponentialBackOffIntervalRetryScheduler.builder()
                        .retryExecutor(retryExecutor)
                        .backoffFactor(10)
                        .maxRetryCount(retries)
                        // Axon asks this of the failure and of each of its causes: all must be part of a lost race
                        .nonTransientFailurePredicate(failure -> !isPartOfConcurrencyConflict(failure))
                        .build())
                .build();
    }

    /**
     * Only a lost race on a bond's stream is worth another try: Axon's {@link ConcurrencyException} and the
     * unique_violation beneath it. Every refusal and every other failure is final.
     */
    static boolean isPartOfConcurrencyConflict(Throwable failure) {
        return failure instanceof ConcurrencyException
                || (failure instanceof SQLException sql && "23505".equals(sql.getSQLState()));
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
