package com.checkoutroutes.doors;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.doors.*}: what each HTTP entry point takes before the application sees a request. Defaults live in
 * config/application.yml only.
 */
@Validated
@ConfigurationProperties("checkout.doors")
public record DoorSettings(
        // How long a request's whole body may take to arrive; a slower one gets 408 and its connection closed.
        @NotNull @DurationMin(millis = 1) Duration bodyTimeout,
        // Largest body of a request to any path no door lists on the doors' port (error pages), in bytes.
        @Positive int otherMaxBytes,
        @Valid @NotNull Door orders,
        @Valid @NotNull Door notifications,
        @Valid @NotNull Door operator,
        // the management port (its own port only): the health probes, with places of their own, and the rest there
        // (the operator console, the actuator)
        @Valid @NotNull Door probes,
        @Valid @NotNull Door management) {

    /** One door: its paths (each also covers what lies below it), its body limit and how many it serves at once. */
    public record Door(
            @NotEmpty List<@NotNull String> paths,
            // Largest body accepted, in bytes; larger ones get 413 before they are read.
            @Positive int maxBytes,
            // Requests handled at once; one more gets 503 at once instead of waiting behind the others.
            @Positive int maxConcurrent,
            // This door's own body-timeout, shorter than the others' where its callers' bodies are small and sent
            // at once (Antom's notifications); empty = checkout.doors.body-timeout.
            @DurationMin(millis = 1) Duration bodyTimeout) {

        /** How long this door's request bodies may take to arrive. */
        Duration bodyTimeoutOr(Duration doors) {
            return bodyTimeout != null ? bodyTimeout : doors;
        }
    }
}
