package com.checkoutroutes.orderintake;

import com.checkoutroutes.continuation.Recipient;
import com.checkoutroutes.ledger.PaymentAttempt.Integration;

/** The order message, as documented by config/schemas/order.schema.json. */
public record OrderMessage(
        String orderId,
        Integer attempt,
        Money amount,
        String description,
        String paymentMethodType,
        Integration integration,
        String captureMode,
        Channel channel,
        Buyer buyer,
        String resultPageUrl,
        String paymentExpiryTime,
        String settlementCurrency) {

    public record Money(String currency, String value) {
    }

    public record Channel(String terminalType, String osType, String clientIp) {
    }

    public record Buyer(String referenceBuyerId) {
    }

    public int attemptNo() {
        return attempt == null ? 1 : attempt;
    }

    /** The buyer's channel, for the messages sent before there is a payment. */
    public Recipient recipient() {
        return new Recipient(orderId, attemptNo(), channel.terminalType(), channel.osType(), integration.name());
    }

    public boolean isCard() {
        return "CARD".equals(paymentMethodType);
    }

    /** Cards default to AUTOMATIC capture, as Antom does when captureMode is absent. */
    public String effectiveCaptureMode() {
        if (!isCard()) {
            return null;
        }
        return captureMode == null ? "AUTOMATIC" : captureMode;
    }
}
