package com.checkoutroutes.localrun;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Test code (the tests and the local run): when {@code checkout.kafka.embedded.enabled} is true, starts the in-JVM
 * broker before the context is built and points the service at it, as {@code CHECKOUT_KAFKA_BROKERS} would.
 * {@code checkout.kafka.embedded.log-dir} keeps its log (the local run's {@code data/kafka}); without it, a
 * temporary folder.
 */
public class EmbeddedKafkaEnvironment implements EnvironmentPostProcessor, Ordered {

    /** After the config files and the tests' overrides, before the production settings are checked. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 10;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        if (!env.getProperty("checkout.kafka.embedded.enabled", Boolean.class, false)) {
            return;
        }
        int port = env.getProperty("checkout.kafka.embedded.port", Integer.class, 0);
        int partitions = env.getProperty("checkout.kafka.embedded.partitions", Integer.class, 3);
        String logDir = env.getProperty("checkout.kafka.embedded.log-dir", "");
        String brokers = logDir.isBlank() ? EmbeddedKafka.bootstrapServers(port, partitions)
                : EmbeddedKafka.bootstrapServers(Path.of(logDir), port, partitions);
        env.getPropertySources().addFirst(new MapPropertySource("embeddedKafka", Map.of(
                "checkout.kafka.brokers", brokers,
                "camel.component.kafka.brokers", brokers)));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
