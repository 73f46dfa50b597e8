package com.checkoutroutes.orderintake;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Order intake's settings: {@code checkout.orders.*} (reading orders) and {@code checkout.payments.*} (the payment
 * expiry asked of Antom). Defaults live in config/application.yml only; routes/orders.yaml, order-events.yaml and
 * error-handling.yaml read the consumer settings through {@code {{...}}} too.
 */
@Validated
@ConfigurationProperties("checkout")
public record OrderIntakeSettings(@Valid @NotNull Orders orders, @Valid @NotNull Payments payments) {

    /** {@code checkout.orders.*} */
    public record Orders(
            // Kafka consumer threads of the order topics (routes only).
            @Positive int consumers,
            // Records per poll (routes only).
            @Positive int maxPollRecords,
            // Largest order accepted, in bytes.
            @Positive int maxBytes,
            // Path of the order's JSON schema.
            @NotBlank String schema,
            // Milliseconds before an order is read again after a database or Kafka failure (routes only).
            @PositiveOrZero long infrastructureRetryDelay,
            // Orders in flight at once per instance, one at a time per orderId; 1 = sequential on the consumers.
            @Positive int maxInFlight,
            // Milliseconds before an order that failed for the infrastructure is sent again on its lane (routes only).
            @PositiveOrZero long resendDelay,
            // How long a consumer's poll waits for records, in milliseconds (routes only).
            @Positive long pollTimeoutMs,
            // Orders in flight on virtual threads (Java 21+); false: a pool of maxInFlight platform threads (routes only).
            boolean virtualThreads,
            // Least milliseconds between two offset commits of one consumer; 0: after every poll (routes only).
            @PositiveOrZero long commitIntervalMs,
            // How long a partition's orders in flight get to end when a rebalance takes it (routes only); the consumer
            // waits inside its poll loop, so keep it well below Kafka's max.poll.interval.ms (10 min as shipped).
            @PositiveOrZero long revokeTimeoutMs) {

        /** How many orders can wait for Antom at once. */
        public int inFlight() {
            return maxInFlight <= 1 ? consumers : maxInFlight;
        }
    }

    /**
     * {@code checkout.payments.*}: when an attempt expires if its order sets no {@code paymentExpiryTime}: Antom's
     * default timeout for its method (docs.antom.com/ac/pm/default_timeout). Past it (and the janitor's grace) the
     * janitor cancels the payment at Antom, so a method whose window is longer than the recorded one would be
     * cancelled while its buyer can still pay (a Konbini slip is valid for 7 days).
     */
    public record Payments(
            // Most wallets and banks.
            @NotNull @DurationMin(seconds = 1) Duration defaultExpiry,
            @NotNull @DurationMin(seconds = 1) Duration cardExpiry,
            // By paymentMethodType (any case): the methods whose default timeout differs from default-expiry.
            Map<String, @NotNull @DurationMin(seconds = 1) Duration> methodExpiry,
            // paymentMethodTypes (any case) without refunds: an order's earlier open attempt is cancelled at Antom
            // before a new one of the order is stored when either is paid by one of these.
            Set<String> cancelBeforeNewAttempt) {

        public Payments {
            methodExpiry = MethodKeyed.copyOf(methodExpiry);
            // matched in any case, as method-expiry's keys
            Set<String> methods = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            if (cancelBeforeNewAttempt != null) {
                cancelBeforeNewAttempt.stream().filter(m -> m != null && !m.isBlank()).map(String::strip)
                        .forEach(methods::add);
            }
            cancelBeforeNewAttempt = Collections.unmodifiableSet(methods);
        }

        /** Whether an earlier open attempt is cancelled before a new one when one of the two is paid by this method. */
        public boolean cancelsBeforeNewAttempt(String paymentMethodType) {
            return paymentMethodType != null && cancelBeforeNewAttempt.contains(paymentMethodType);
        }

        /** The expiry recorded for a payment of this method when the order sets none. */
        public Duration expiryOf(String paymentMethodType, boolean card) {
            Duration ofMethod = paymentMethodType == null ? null : methodExpiry.get(paymentMethodType);
            return ofMethod != null ? ofMethod : card ? cardExpiry : defaultExpiry;
        }
    }
}
