package com.checkoutroutes.testsupport;



import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads whole topics of the real broker in the background (its own consumer group, from the beginning) and lets
 * a test wait for records; also publishes orders like the order system would.
 */
public final class TopicWatcher implements AutoCloseable {

    private final String brokers;
    private final Map<String, List<ConsumerRecord<String, String>>> seen = new ConcurrentHashMap<>();
    private final List<Thread> readers = new CopyOnWriteArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private volatile boolean running = true;

    public TopicWatcher(String brokers) {
        this.brokers = brokers;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public void publish(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public void publish(String topic, String key, String value) {
        publish(topic, key, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public synchronized List<ConsumerRecord<String, String>> records(String topic) {
        return seen.computeIfAbsent(topic, this::startReading);
    }

    /** Waits until a record of {@code topic} matches, and returns it. */
    public ConsumerRecord<String, String> await(String topic, Predicate<ConsumerRecord<String, String>> match) {
        List<ConsumerRecord<String, String>> records = records(topic);
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> records.stream().filter(match).findFirst().orElse(null), r -> r != null);
    }

    public List<ConsumerRecord<String, String>> matching(String topic, Predicate<ConsumerRecord<String, String>> match) {
        return records(topic).stream().filter(match).toList();
    }

    private List<ConsumerRecord<String, String>> startReading(String topic) {
        List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-watcher-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of(topic));
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
            }
        }, "watch-" + topic);
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
        return records;
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(2));
    }
}
