package com.checkoutroutes.notifications;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
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
        @Positive int maxBytes) {
}
