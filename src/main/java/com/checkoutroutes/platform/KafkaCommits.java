package com.checkoutroutes.platform;

import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Kafka component's manual commit factory (camel.component.kafka.allow-manual-commit in config/application.yml):
 * camel-kafka has no default and autowires the one bean of this type, so every consumer route shares it.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaCommits {

    @Bean
    KafkaManualCommitFactory kafkaManualCommitFactory() {
        return new DefaultKafkaManualCommitFactory();
    }
}
