package com.checkoutroutes.platform;

import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sets {@link BoundedKafkaHeaders} on the Kafka component, so on every Kafka endpoint: Spring's binding of
 * camel.component.kafka.header-filter-strategy takes only a bean's name, and a bean of that type would be offered to
 * every component that looks one up. The key and value bounds are in config/application.yml (their deserializers).
 */
@Configuration(proxyBeanMethods = false)
public class KafkaRecordBounds {

    @Bean
    static ComponentCustomizer boundedKafkaHeaders() {
        return ComponentCustomizer.forType(KafkaComponent.class,
                kafka -> kafka.getConfiguration().setHeaderFilterStrategy(new BoundedKafkaHeaders()));
    }
}
