package com.checkoutroutes.continuation;

import com.checkoutroutes.platform.TopicsInUse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.channels.*}: where each channel's continuations go (Camel endpoint URIs: a Kafka topic, or an
 * HTTP(S) endpoint whose messages are queued and POSTed, signed, by {@link HttpChannels}), and how HTTP
 * channels are delivered. routes/continuations.yaml reads them through {@code {{...}}}; this record checks them at
 * start-up. The continuations' own outbox destination is {@code checkout.outbox.continuations-destination} (ledger's
 * OutboxSettings).
 */
@Validated
@ConfigurationProperties("checkout.channels")
public record ChannelSettings(@NotBlank String web, @NotBlank String wap, @NotBlank String app,
        @Valid @NotNull Http http) implements TopicsInUse {

    /** The shortest HMAC key accepted: 32 characters, the size of the SHA-256 output it protects. */
    public static final int MIN_SECRET_LENGTH = 32;

    /**
     * How continuations reach HTTP(S) channels. The secret has no constraint of its own: a rejected value would be
     * printed in the start-up failure; {@link #isHmacSecretSetForHttpChannels()} checks it without showing it.
     */
    public record Http(
            // The HMAC-SHA256 key of the X-Checkout-Signature header.
            String hmacSecret,
            // When a parked message is tried again (the POST's own retries are in routes/error-handling.yaml).
            @NotNull @DurationMin(millis = 1) Duration parkedRetry,
            // Milliseconds between sweeps of the queue (routes only).
            @Positive long pollInterval,
            // POSTs at once per instance (PostgreSQL; one on H2).
            @Positive int senders) {

        /** Never the secret (a settings dump, a failure message). */
        @Override
        public String toString() {
            return "Http[hmacSecret=" + (hmacSecret == null || hmacSecret.isBlank() ? "(none)" : "(set)")
                    + ", parkedRetry=" + parkedRetry + ", pollInterval=" + pollInterval + ", senders=" + senders + "]";
        }
    }

    /** Whether this channel's endpoint is HTTP(S): its messages are queued and POSTed, not sent to the endpoint. */
    public static boolean isHttp(String endpoint) {
        String scheme = endpoint == null ? "" : endpoint.strip().toLowerCase(java.util.Locale.ROOT);
        return scheme.startsWith("http:") || scheme.startsWith("https:");
    }

    /** The channels that are Kafka topics, for the start-up check of the broker's topics. */
    @Override
    public Set<String> topics() {
        return Stream.of(web, wap, app).map(TopicsInUse::kafkaTopic).flatMap(Optional::stream)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    public boolean anyHttp() {
        return Stream.of(web, wap, app).anyMatch(ChannelSettings::isHttp);
    }

    @AssertTrue(message = "a channel is an HTTP(S) endpoint: set checkout.channels.http.hmac-secret "
            + "(CHECKOUT_CHANNEL_HMAC_SECRET), at least " + MIN_SECRET_LENGTH + " characters")
    public boolean isHmacSecretSetForHttpChannels() {
        return http == null || !anyHttp()
                || http.hmacSecret() != null && http.hmacSecret().strip().length() >= MIN_SECRET_LENGTH;
    }
}
