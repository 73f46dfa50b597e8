package com.checkoutroutes.continuation;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.channels.*}: where each channel's continuations go (Camel endpoint URIs). routes/continuations.yaml
 * reads them through {@code {{...}}}; this record checks them at start-up. The continuations' own outbox destination
 * is {@code checkout.outbox.continuations-destination} (ledger's OutboxSettings).
 */
@Validated
@ConfigurationProperties("checkout.channels")
public record ChannelSettings(@NotBlank String web, @NotBlank String wap, @NotBlank String app) {
}
