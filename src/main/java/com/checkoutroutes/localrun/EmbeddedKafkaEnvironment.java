package com.checkoutroutes.localrun;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When {@code checkout.kafka.embedded.enabled} is true (the local-run default), starts the in-JVM broker before
 * the context is built and points Camel's Kafka component at it. Real deployments set it false and name brokers.
 */
public class EmbeddedKafkaEnvironment implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("checkout.kafka.embedded.enabled", Boolean.class, false)) {
            return;
        }
        int port = env.getProperty("checkout.kafka.embedded.port", Integer.class, 0);
        int partitions = env.getProperty("checkout.kafka.embedded.partitions", Integer.class, 3);
        String brokers = EmbeddedKafka.bootstrapServers(port, partitions);
        env.getPropertySources().addFirst(new MapPropertySource("embeddedKafka", Map.of(
                "checkout.kafka.brokers", brokers,
                "camel.component.kafka.brokers", brokers)));
    }

    @Override
    public int getOrder() {
        // after the config files are read (ConfigDataEnvironmentPostProcessor), so config/ can switch it off
        return Ordered.LOWEST_PRECEDENCE;
    }
}
