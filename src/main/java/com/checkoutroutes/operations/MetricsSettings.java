package com.checkoutroutes.operations;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code checkout.metrics.*}: how often the ledger gauges are recounted. Defaults live in config/application.yml only. */
@Validated
@ConfigurationProperties("checkout.metrics")
public record MetricsSettings(
        @NotNull @DurationMin(millis = 1) Duration ledgerRefresh,
        @NotNull @DurationMin(millis = 1) Duration ledgerHistoryRefresh) {
}
