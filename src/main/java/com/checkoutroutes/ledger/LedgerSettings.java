package com.checkoutroutes.ledger;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code checkout.ledger.*}: how the order path writes the ledger. Defaults live in config/application.yml only. */
@Validated
@ConfigurationProperties("checkout.ledger")
public record LedgerSettings(
        // Most order writes (attempts, outcomes) committed together in one transaction; 1 = each on its own.
        @Positive int groupCommitMaxBatch,
        // Threads (and database connections) committing batches at once.
        @Positive int groupCommitWriters) {
}
