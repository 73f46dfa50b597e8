package com.checkoutroutes.ledger;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.outbox.*}: where the outbox's messages go (Camel endpoint URIs, one per kind; the flows that
 * write each kind read its destination here) and how the relay publishes them. Defaults live in
 * config/application.yml only; routes/outbox.yaml reads {@code poll-interval} through {@code {{...}}} too.
 */
@Validated
@ConfigurationProperties("checkout.outbox")
public record OutboxSettings(
        @NotBlank String continuationsDestination,
        @NotBlank String resultsDestination,
        @NotBlank String duplicateCancelDestination,
        @NotBlank String reconciliationDestination,
        // Milliseconds between the relay's catch-up sweeps (routes only).
        @Positive long pollInterval,
        // Messages per published batch.
        @Positive int batchSize,
        // How long one batch may wait for Kafka.
        @NotNull @DurationMin(millis = 1) Duration sendTimeout,
        // Shards of the outbox by message key, each published by one instance at a time (PostgreSQL).
        @Positive int shards,
        // The longest a send handed to a destination may take to be written or given up (Kafka: max.block.ms +
        // delivery.timeout.ms, checked at start-up).
        @NotNull @DurationMin(millis = 1) Duration maxSendTime,
        // How long a batch's shards stay fenced when their instance does not hand them back (crash, lost database).
        @NotNull @DurationMin(millis = 1) Duration lease,
        // The least time between the starts of two drains: a wake sooner waits for the rest (0 = drain at once). At
        // most a second: a drain still waiting at shutdown must start within the publisher's last send-timeout.
        @NotNull @DurationMin(nanos = 0) @DurationMax(seconds = 1) Duration linger) {

    @AssertTrue(message = "lease must be longer than max-send-time: an instance starts sends only in the first half "
            + "of the difference")
    public boolean isLeaseLongerThanMaxSendTime() {
        return lease == null || maxSendTime == null || lease.compareTo(maxSendTime) > 0;
    }
}
