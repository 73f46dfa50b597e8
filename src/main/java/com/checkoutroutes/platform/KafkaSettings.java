package com.checkoutroutes.platform;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.kafka.*}, read by camel.component.kafka and the consumer routes as placeholders: bound here too so
 * that a wrong value stops start-up naming the setting, rather than failing each consumer as it is made (which Camel
 * would retry without end). Defaults live in config/application.yml only.
 */
@Validated
@ConfigurationProperties("checkout.kafka")
public record KafkaSettings(
        // The bootstrap servers; RequiredSettings names the variable when it is missing.
        String brokers,
        @NotBlank String groupId,
        // The largest order event or shipment check read; a larger one is dead-lettered PAYLOAD_TOO_LARGE unread.
        @Positive int maxEventBytes) {
}
