package com.checkoutroutes.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import jakarta.validation.constraints.NotBlank;

/** {@code checkout.antom.*}: how to reach and authenticate with Antom. Key values are paths, never logged. */
@Validated
@ConfigurationProperties("checkout.antom")
public record AntomSettings(
        @NotBlank String clientId,
        @NotBlank String gatewayUrl,
        @NotBlank String merchantPrivateKey,
        @NotBlank String antomPublicKey,
        @DefaultValue("1") int keyVersion,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("64") int maxConnections,
        @NotBlank String notifyUrl,
        @DefaultValue Retry retry) {

    /** Retries of a timed-out or U call, always with the same request id and identical parameters. */
    public record Retry(
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("2s") Duration maxBackoff) {
    }

    /** Antom's sandbox client ids start with SANDBOX_ and use the /ams/sandbox/api paths, as the SDK does. */
    public boolean sandboxClient() {
        return clientId.startsWith("SANDBOX_");
    }
}
