package com.checkoutroutes.shipment;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code checkout.shipment.*}: the pre-shipment check. Defaults live in config/application.yml only. */
@Validated
@ConfigurationProperties("checkout.shipment")
public record ShipmentSettings(
        // A payment confirmed with Antom more recently than this ships without asking again; 0 always asks.
        @NotNull @DurationMin(nanos = 0) Duration confirmationFreshness) {
}
