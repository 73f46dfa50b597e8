package com.checkoutroutes.ledger;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code checkout.ledger.*}: how the order path writes the ledger. Defaults live in config/application.yml only. */
@Validated
@ConfigurationProperties("checkout.ledger")
public record LedgerSettings(
        // Most order writes (attempts, outcomes) committed together in one transaction; 1 = each on its own.
        @Positive int groupCommitMaxBatch,
        // Threads (and database connections) committing batches at once.
        @Positive int groupCommitWriters,
        // How long the first write of a batch waits for others before its commit; 0 = it is committed at once.
        @NotNull @DurationMin(nanos = 0) @DurationMax(millis = 100) Duration groupCommitLinger) {
}
