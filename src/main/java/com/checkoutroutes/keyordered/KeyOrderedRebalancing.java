package com.checkoutroutes.keyordered;

import java.util.Collection;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * camel-kafka's subscribe adapter (the registry's {@code subscribeAdapter}, which the key-ordered component binds):
 * subscribes as camel-kafka would, with a rebalance listener that first lets the lanes of the consumer hand over the
 * partitions leaving it ({@link KeyOrderedLanes#partitionsRevoked}: records being sent end and are committed before
 * the new owner reads on). Kafka calls it on the consumer thread inside the poll; lanes that do not serve that consumer
 * ignore it, so every Kafka route of the context may share it.
 */
public class KeyOrderedRebalancing implements SubscribeAdapter {

    /** The name camel-kafka looks the adapter up by. */
    public static final String REGISTRY_NAME = "subscribeAdapter";

    private final CamelContext context;

    public KeyOrderedRebalancing(CamelContext context) {
        this.context = context;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topics) {
        boolean topicMustExist = context.hasComponent("kafka") instanceof KafkaComponent kafka
                && kafka.isSubscribeConsumerTopicMustExists();
        String printable = topics.isPattern() ? topics.getPattern().pattern() : String.join(",", topics.getTopics());
        new DefaultSubscribeAdapter(printable, topicMustExist)
                .subscribe(consumer, new HandOver(consumer, camelListener), topics);
    }

    private Collection<KeyOrderedLanes> lanes() {
        return context.getRegistry().findByType(KeyOrderedLanes.class);
    }

    /** The lanes first (they commit what the leaving partitions finished), then camel-kafka's own listener. */
    private final class HandOver implements ConsumerRebalanceListener {
        private final Consumer<?, ?> consumer;
        private final ConsumerRebalanceListener camelListener;

        HandOver(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener) {
            this.consumer = consumer;
            this.camelListener = camelListener;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                lanes().forEach(lanes -> lanes.partitionsRevoked(consumer, partitions));
            } finally {
                camelListener.onPartitionsRevoked(partitions); // also when a stop woke the consumer up meanwhile
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            camelListener.onPartitionsAssigned(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            try {
                lanes().forEach(lanes -> lanes.partitionsLost(consumer, partitions));
            } finally {
                camelListener.onPartitionsLost(partitions);
            }
        }
    }
}
