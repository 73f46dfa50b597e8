package com.checkoutroutes.orderintake;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code checkout.order-rules.*}: the limits {@link OrderRules} applies to every order, from Kafka and from the HTTP
 * door alike. Defaults live in config/application.yml only.
 */
@Validated
@ConfigurationProperties("checkout.order-rules")
public record OrderRulesSettings(
        // The schemes a resultPageUrl may have: https, plus the custom schemes of your apps (lower case).
        @NotEmpty List<@NotNull String> resultPageSchemes,
        // The largest amount per currency in minor units; "default" for every currency not listed.
        @NotEmpty Map<String, @NotNull @Positive Long> maxAmounts,
        // How far ahead an order's paymentExpiryTime may be: Antom's longest default is 7 days.
        @NotNull Duration maxPaymentExpiry,
        // Per paymentMethodType, how far ahead its paymentExpiryTime must stay below (Antom takes one for GCash and
        // DANA only under 14 minutes); none listed: none.
        Map<String, @NotNull @DurationMin(seconds = 1) Duration> methodMaxExpiry) {

    public OrderRulesSettings {
        methodMaxExpiry = MethodKeyed.copyOf(methodMaxExpiry);
    }

    @AssertTrue(message = "max-payment-expiry must be positive")
    public boolean isMaxPaymentExpiryPositive() {
        return maxPaymentExpiry == null || !(maxPaymentExpiry.isNegative() || maxPaymentExpiry.isZero());
    }

    @AssertTrue(message = "max-amounts needs a \"default\" entry")
    public boolean isDefaultAmountListed() {
        return maxAmounts == null || maxAmounts.containsKey("default");
    }

    /** How far ahead a paymentExpiryTime must stay below for this method, if Antom limits it. */
    public Optional<Duration> methodMaxExpiry(String paymentMethodType) {
        return Optional.ofNullable(methodMaxExpiry.get(paymentMethodType));
    }

    /** The largest amount accepted in this currency, in minor units. */
    public long maxAmount(String currency) {
        // keys as written in YAML (JPY) or as an environment variable binds them (jpy)
        return maxAmounts.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(currency))
                .map(Map.Entry::getValue).findFirst().orElse(maxAmounts.get("default"));
    }
}
