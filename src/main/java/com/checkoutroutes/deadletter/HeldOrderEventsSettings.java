package com.checkoutroutes.deadletter;

import com.checkoutroutes.platform.QuartzCron;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.held-order-events.*}: the schedule of the job that reads held order events again (routes/
 * schedules.yaml), and how many it re-drives per run. Defaults live in config/application.yml only.
 */
@Validated
@ConfigurationProperties("checkout.held-order-events")
public record HeldOrderEventsSettings(@NotBlank @QuartzCron String cron, @Min(1) @Max(10_000) int batchSize) {
}
