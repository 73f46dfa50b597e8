package com.checkoutroutes.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.URL;

/**
 * {@code checkout.antom.*}: how to reach and authenticate with Antom. Keys (paths or inline) are never logged.
 * {@code antomPreviousPublicKey}: while Antom rotates its key, the one it signed with until now (blank: none).
 * Both URLs are checked at start-up: one without its scheme or host would fail every call to Antom, or every
 * notification's signature (whose path is the notify URL's), only once orders come.
 */
@Validated
@ConfigurationProperties("checkout.antom")
public record AntomSettings(
        @NotBlank String clientId,
        @NotBlank @URL(regexp = ABSOLUTE_HTTP, message = ABSOLUTE_HTTP_MESSAGE) String gatewayUrl,
        @NotBlank String merchantPrivateKey,
        @NotBlank String antomPublicKey,
        String antomPreviousPublicKey,
        @Positive int keyVersion,
        @NotNull Duration timeout,
        @NotNull Duration connectTimeout,
        @Positive int maxConnections,
        @NotBlank @URL(regexp = ABSOLUTE_HTTP, message = ABSOLUTE_HTTP_MESSAGE) String notifyUrl,
        @Valid @NotNull Retry retry) {

    /** http(s), a host (and port), then only characters a URI allows: the notify URL's path is parsed as a URI. */
    static final String ABSOLUTE_HTTP = "https?://[A-Za-z0-9.\\-\\[\\]:]+"
            + "([/?#][A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=%]*)?";
    static final String ABSOLUTE_HTTP_MESSAGE = "must be an absolute http(s) URL with a host, e.g. https://host/path";

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
