package com.checkoutroutes.notifications;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.notifications.*}: Antom's notifications. Defaults live in config/application.yml only;
 * routes read {@code path} through {@code {{...}}} too.
 */
@Validated
@ConfigurationProperties("checkout.notifications")
public record NotificationSettings(
        // Where Antom POSTs its notifications (routes only).
        @NotBlank String path,
        // Largest notification accepted, in bytes.
        @Positive int maxBytes,
        // A notification whose request-time is older than this is logged as stale (and still applied).
        @NotNull @DurationMin(nanos = 0) Duration staleAfter,
        // A notification whose request-time is older than this is refused (401); 0 accepts any age.
        @NotNull @DurationMin(nanos = 0) Duration maxAge) {
}
