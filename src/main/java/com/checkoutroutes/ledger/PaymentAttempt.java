package com.checkoutroutes.ledger;

import java.time.OffsetDateTime;

/** One payment attempt as stored: a row of {@code payment_attempt}. */
public record PaymentAttempt(
        String paymentRequestId,
        String orderId,
        int attemptNo,
        Integration integration,
        String paymentMethodType,
        long amountValue,
        String currency,
        String captureMode,
        String terminalType,
        String osType,
        PaymentState state,
        String paymentId,
        String resultCode,
        String resultMessage,
        OffsetDateTime expiresAt,
        String requestJson,
        String continuationJson,
        boolean flagged,
        String flagReason,
        int version,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        String captureRequestId,
        String captureId,
        int checkCount,
        OffsetDateTime nextCheckAt,
        OffsetDateTime confirmedAt,
        OffsetDateTime paidAt) {

    public enum Integration {
        /** APIs-only: {@code pay} returns the continuation links */
        API,
        /** SDK: {@code createPaymentSession} returns paymentSessionData for the client SDK */
        SDK
    }

    public boolean isCard() {
        return "CARD".equals(paymentMethodType);
    }
}
