package com.checkoutroutes.console;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code checkout.console.*}: what the operator console lists and how much. Defaults in config/application.yml only. */
@Validated
@ConfigurationProperties("checkout.console")
public record ConsoleSettings(
        // A payment waiting (REQUESTED, PENDING, CAPTURE_REQUESTED) longer than this is listed under Needs attention.
        @NotNull Duration waitingAttentionAfter,
        // A card authorisation older than this is listed under Needs attention (Antom releases it after 7 days).
        @NotNull Duration authorisationAttentionAfter,
        // Rows per list (payments, dead letters, job runs, reports, actions).
        @Min(1) @Max(500) int pageSize) {
}
