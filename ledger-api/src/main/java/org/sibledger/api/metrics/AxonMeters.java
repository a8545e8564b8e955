package org.sibledger.api.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Axon's meters for the command, query and event buses, but none per event in the event processors: those looked up
 * four meters by payload type for every event in every processor (an eighth of a replay's time), and the ledger has
 * its own view of them, {@code sib.processor.lag} per processing group, read from the stored tokens.
 */
@Configuration(proxyBeanMethods = false)
public class AxonMeters {

    @Bean
    public static GlobalMetricRegistry globalMetricRegistry(MeterRegistry meterRegistry) {
        return new GlobalMetricRegistry(meterRegistry) {
            @Override
            public MessageMonitor<? extends Message<?>> registerComponentWithDefaultTags(Class<?> componentType,
                                                                                         String componentName) {
                return EventProcessor.class.isAssignableFrom(componentType) ? NoOpMessageMonitor.instance()
                        : super.registerComponentWithDefaultTags(componentType, componentName);
            }

            @Override
            public MessageMonitor<? extends Message<?>> registerComponent(Class<?> componentType, String componentName) {
                return EventProcessor.class.isAssignableFrom(componentType) ? NoOpMessageMonitor.instance()
                        : super.registerComponent(componentType, componentName);
            }
        };
    }
}
