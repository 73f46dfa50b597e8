package com.checkoutroutes.platform;

import java.util.Set;

/**
 * Kafka topics a capability reads or writes besides {@code checkout.topics.*}, such as the channels that are topics:
 * {@link KafkaTopicCheck} asks the broker for them too. The capability that knows its endpoints names them, so that
 * one class reads each setting.
 */
public interface TopicsInUse {

    Set<String> topics();
}
