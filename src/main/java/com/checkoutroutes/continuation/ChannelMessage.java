package com.checkoutroutes.continuation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the buyer's channel receives for an order: how to continue (a link, a QR code, an SDK session or a choice of
 * methods), or the outcome when there is nothing to continue. Documented in the README ("Channel messages").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChannelMessage(
        String type,
        String action,
        String orderId,
        int attempt,
        String paymentRequestId,
        String paymentId,
        String terminalType,
        String osType,
        String integration,
        Link link,
        List<Link> fallbackLinks,
        String appIdentifier,
        QrCode qrCode,
        SdkSession sdkSession,
        List<PaymentOption> paymentOptions,
        Result result,
        String expiresAt) {

    public static final String TYPE = "CONTINUATION";

    /** REDIRECT: open {@link #link}; SDK_SESSION: start Antom's client SDK; CHOOSE_METHOD: let the buyer pick. */
    public enum Action { REDIRECT, SDK_SESSION, CHOOSE_METHOD, PAID, FAILED, RESULT_UNKNOWN }

    /** {@code kind} is Antom's field name (normalUrl, applinkUrl, schemeUrl); {@code openWith} how the docs open it. */
    public record Link(String kind, String url, String openWith) {
    }

    public record QrCode(String value, String displayType, String expiresAt) {
    }

    public record SdkSession(String paymentSessionData, String paymentSessionId, String expiresAt) {
    }

    public record PaymentOption(String paymentMethodType, boolean enabled, String category) {
    }

    public record Result(String code, String message) {
    }
}
