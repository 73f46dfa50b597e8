package com.checkoutroutes.ledger;

import java.time.OffsetDateTime;

/** One refund of a payment attempt as stored: a row of {@code refund}. Amounts in minor units. */
public record Refund(
        String refundRequestId,
        String paymentRequestId,
        String orderId,
        String requestKey,
        long amountValue,
        String currency,
        RefundState state,
        String refundId,
        String resultCode,
        String resultMessage,
        String reason,
        String requestedBy,
        int version,
        int checkCount,
        OffsetDateTime nextCheckAt,
        OffsetDateTime confirmedAt,
        OffsetDateTime refundedAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
