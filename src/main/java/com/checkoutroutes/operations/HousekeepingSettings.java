package com.checkoutroutes.operations;

import com.checkoutroutes.platform.QuartzCron;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.housekeeping.*}: when the rows that are done are deleted, and how long they are kept first. At least
 * two days: Antom resends a notification for 24 hours, and the deduplication of its resends reads the inbox. Defaults
 * live in config/application.yml only.
 */
@Validated
@ConfigurationProperties("checkout.housekeeping")
public record HousekeepingSettings(
        @NotBlank @QuartzCron String cron,
        @NotNull @DurationMin(days = 2) Duration keep,
        // rows per DELETE: each is one short transaction, so the tables stay writable while old rows go
        @Min(1) @Max(100_000) int batchSize,
        // rows per table per run at most: a first run on a large backlog is spread over several runs
        @Min(1) int maxPerRun) {
}
