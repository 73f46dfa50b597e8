package com.checkoutroutes.reconciliation;

import com.checkoutroutes.platform.QuartzCron;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.reconciliation.*}: settlement reconciliation of Antom's transaction reports. Defaults live in
 * config/application.yml only; routes/schedules.yaml reads {@code cron} through {@code {{...}}} too. The report
 * event's destination is {@code checkout.outbox.reconciliation-destination} (ledger's OutboxSettings).
 */
@Validated
@ConfigurationProperties("checkout.reconciliation")
public record ReconciliationSettings(
        // Where the transaction reports are dropped.
        @NotBlank String reportDir,
        // When to reconcile (routes only).
        @NotBlank @QuartzCron String cron,
        // A file without its <END> line this long after its last change is rejected; before, it is read again.
        @NotNull Duration incompleteFor) {
}
