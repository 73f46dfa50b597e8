package com.checkoutroutes.localrun;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One in-JVM KRaft broker per JVM, for the one-command local run and the tests (there is no Docker here).
 * Shared by every Spring context in the JVM so that cached test contexts keep talking to the same broker.
 */
public final class EmbeddedKafka {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static EmbeddedKafkaKraftBroker broker;

    private EmbeddedKafka() {
    }

    /** Starts the broker on first use and returns its bootstrap address. */
    public static synchronized String bootstrapServers(int port, int partitions) {
        if (broker == null) {
            long started = System.nanoTime();
            EmbeddedKafkaKraftBroker candidate = new EmbeddedKafkaKraftBroker(1, partitions);
            if (port > 0) {
                candidate.kafkaPorts(port);
            }
            candidate.brokerProperties(Map.of(
                    "auto.create.topics.enable", "true",
                    "num.partitions", String.valueOf(partitions),
                    "offsets.topic.num.partitions", "5",
                    "group.initial.rebalance.delay.ms", "0"));
            candidate.brokerListProperty("checkout.kafka.embedded.bootstrap-servers");
            candidate.afterPropertiesSet();
            broker = candidate;
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedKafka::stop, "embedded-kafka-stop"));
            LOG.info("In-JVM Kafka (KRaft) started at {} in {} ms", broker.getBrokersAsString(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return broker.getBrokersAsString();
    }

    public static synchronized void stop() {
        if (broker != null) {
            try {
                broker.destroy();
            } catch (RuntimeException e) {
                LOG.debug("embedded Kafka stop", e);
            }
            broker = null;
        }
    }
}
