package com.checkoutroutes.benchmark;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the end as a channel would and notes when each key first arrived (System.nanoTime). */
final class Arrivals implements AutoCloseable {

    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;
    private volatile boolean assigned;

    Arrivals(String brokers, String topic, Predicate<ConsumerRecord<String, String>> counts) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "load-driver-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // the broker answers a fetch as soon as one record is there (fetch.min.bytes 1), so a longer wait costs no
        // latency; it only saves the empty fetches that a 5 ms wait made 200 times a second
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(java.util.List.of(topic));
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(20));
                    long now = System.nanoTime();
                    assigned = assigned || !consumer.assignment().isEmpty();
                    for (ConsumerRecord<String, String> r : records) {
                        if (r.key() != null && counts.test(r)) {
                            firstArrival.putIfAbsent(r.key(), now);
                        }
                    }
                }
            }
        }, "arrivals-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    boolean ready() {
        return assigned;
    }

    Long arrival(String key) {
        return firstArrival.get(key);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(5000);
    }
}
