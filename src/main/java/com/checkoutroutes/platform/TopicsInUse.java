package com.checkoutroutes.platform;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kafka topics a capability reads or writes besides {@code checkout.topics.*}, such as the channels that are topics:
 * {@link KafkaTopicCheck} asks the broker for them too. The capability that knows its endpoints names them, so that
 * one class reads each setting.
 */
public interface TopicsInUse {

    Set<String> topics();

    /**
     * The topic of a Kafka endpoint URI on the Kafka component's own brokers ({@code kafka:name?...}, any case,
     * {@code //} optional); empty for another endpoint, and for one whose {@code brokers} option names another
     * cluster, which the topic check cannot see.
     */
    static Optional<String> kafkaTopic(String endpoint) {
        String uri = endpoint == null ? "" : endpoint.strip();
        if (!uri.regionMatches(true, 0, "kafka:", 0, "kafka:".length())) {
            return Optional.empty();
        }
        int options = uri.indexOf('?');
        if (options >= 0 && OWN_BROKERS.matcher(uri.substring(options)).find()) {
            return Optional.empty();
        }
        String topic = uri.substring("kafka:".length(), options < 0 ? uri.length() : options);
        return Optional.of(topic.startsWith("//") ? topic.substring(2) : topic).filter(t -> !t.isBlank());
    }

    /** The endpoint option that points it at other brokers than the component's. */
    Pattern OWN_BROKERS = Pattern.compile("[?&]brokers=", Pattern.CASE_INSENSITIVE);
}
