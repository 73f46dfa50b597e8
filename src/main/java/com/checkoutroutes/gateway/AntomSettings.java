package com.checkoutroutes.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

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
        @NotBlank String gatewayUrl,
        @NotBlank String merchantPrivateKey,
        @NotBlank String antomPublicKey,
        String antomPreviousPublicKey,
        @Positive int keyVersion,
        // 0 would be HttpClient's "no limit", and every attempt's deadline its connect timeout
        @NotNull @DurationMin(millis = 1) Duration timeout,
        @NotNull @DurationMin(millis = 1) Duration connectTimeout,
        @Positive int maxConnections,
        @NotBlank String notifyUrl,
        @Valid @NotNull Retry retry) {

    @AssertTrue(message = "checkout.antom.gateway-url (CHECKOUT_ANTOM_GATEWAY_URL) must be an absolute http(s) URL "
            + "with a host and no query, e.g. https://open-sea-global.alipay.com")
    public boolean isGatewayUrlAbsolute() {
        return gatewayUrl == null || gatewayUrl.isBlank() || absoluteHttp(gatewayUrl, false);
    }

    @AssertTrue(message = "checkout.antom.notify-url (CHECKOUT_ANTOM_NOTIFY_URL) must be an absolute http(s) URL "
            + "with a host, e.g. https://shop.example/antom/notifications")
    public boolean isNotifyUrlAbsolute() {
        return notifyUrl == null || notifyUrl.isBlank() || absoluteHttp(notifyUrl, true);
    }

    /** As the HTTP client and the notifications' signature check read it (a blank one is named as missing). */
    static boolean absoluteHttp(String url, boolean queryAllowed) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getRawFragment() == null && (queryAllowed || uri.getRawQuery() == null);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Retries of a timed-out or U call, always with the same request id and identical parameters. */
    public record Retry(
            @Positive int maxAttempts,
            @NotNull Duration initialBackoff,
            @Positive double multiplier,
            @NotNull Duration maxBackoff) {
    }

    /**
     * The most one attempt of a call may take, whatever trickles in: a wait for a pooled connection, a connect and an
     * answer, each at its own limit (the timeouts bound each wait, not the whole). What a capture's mark counts a try
     * as (results.CaptureClaims), so that no send outlasts the mark.
     */
    public Duration attemptDeadline() {
        return connectTimeout.plus(timeout.multipliedBy(2));
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
