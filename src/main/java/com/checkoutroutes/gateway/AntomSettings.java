package com.checkoutroutes.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * {@code checkout.antom.*}: how to reach and authenticate with Antom. Keys (paths or inline) are never logged.
 * {@code antomPreviousPublicKey}: while Antom rotates its key, the one it signed with until now (blank: none).
 */
@Validated
@ConfigurationProperties("checkout.antom")
public record AntomSettings(
        @NotBlank String clientId,
        @NotBlank String gatewayUrl,
        @NotBlank String merchantPrivateKey,
        @NotBlank String antomPublicKey,
        String antomPreviousPublicKey,
        @Positive int keyVersion,
        @NotNull Duration timeout,
        @NotNull Duration connectTimeout,
        @Positive int maxConnections,
        @NotBlank String notifyUrl,
        @Valid @NotNull Retry retry) {

    /** Retries of a timed-out or U call, always with the same request id and identical parameters. */
    public record Retry(
            @Positive int maxAttempts,
            @NotNull Duration initialBackoff,
            @Positive double multiplier,
            @NotNull Duration maxBackoff) {
    }

    /** Never a key's value: either key may be given inline (PEM or base64) rather than as a path. */
    @Override
    public String toString() {
        return "AntomSettings[clientId=" + clientId + ", gatewayUrl=" + gatewayUrl + ", keyVersion=" + keyVersion
                + ", timeout=" + timeout + ", connectTimeout=" + connectTimeout + ", maxConnections=" + maxConnections
                + ", notifyUrl=" + notifyUrl + ", retry=" + retry + "]";
    }

    /** Antom's sandbox client ids start with SANDBOX_ and use the /ams/sandbox/api paths, as the SDK does. */
    public boolean sandboxClient() {
        return clientId.startsWith("SANDBOX_");
    }
}
