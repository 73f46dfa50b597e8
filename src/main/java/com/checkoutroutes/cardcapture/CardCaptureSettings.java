package com.checkoutroutes.cardcapture;

import com.checkoutroutes.cardcapture.AuthorisationGuard.Policy;
import com.checkoutroutes.platform.QuartzCron;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Card capture's settings: {@code checkout.capture.*} (which order event captures) and
 * {@code checkout.authorisation-guard.*} (authorisations near Antom's 7-day limit). Defaults live in
 * config/application.yml only; routes/order-events.yaml and schedules.yaml read the trigger and the cron through
 * {@code {{...}}} too.
 */
@Validated
@ConfigurationProperties("checkout")
public record CardCaptureSettings(@Valid @NotNull Capture capture, @Valid @NotNull Guard authorisationGuard) {

    /**
     * {@code checkout.capture.*}. The trigger is the exact order event type: routes/order-events.yaml compares it
     * with the event's type as a string, so it is checked as written (an enum would also bind "order-shipped").
     */
    public record Capture(
            @NotBlank @Pattern(regexp = "ORDER_SHIPPED|ORDER_READY_TO_SHIP",
                    message = "must be ORDER_SHIPPED or ORDER_READY_TO_SHIP") String trigger) {
    }

    /** {@code checkout.authorisation-guard.*} */
    public record Guard(
            // When the guard runs (routes only).
            @NotBlank @QuartzCron String cron,
            // Authorisations older than this get the policy: below Antom's 7 days (at 7 or more no policy would ever
            // apply, as Antom has released them by then)
            @NotNull @DurationMin(nanos = 0) @DurationMax(days = 7, inclusive = false) Duration threshold,
            // CAPTURE, CANCEL or ALERT.
            @NotNull Policy policy) {
    }
}
