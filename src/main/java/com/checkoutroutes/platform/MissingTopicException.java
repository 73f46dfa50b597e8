package com.checkoutroutes.platform;

import org.apache.kafka.common.KafkaException;

/**
 * A send to a Kafka topic that does not exist on a broker that does not create topics ({@link KafkaTopicCheck}):
 * refused before the producer would wait {@code max-block-ms} for it. A {@link KafkaException}, as the producer's own
 * timeout would be: Kafka's trouble, not the message's ({@link InfrastructureFailures}).
 */
public class MissingTopicException extends KafkaException {

    public MissingTopicException(String topic) {
        super("topic " + topic + " does not exist and the broker does not create topics: not sent (health "
                + "kafkaTopics; create it, README \"Running in production\")");
    }
}
