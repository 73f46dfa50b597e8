package com.checkoutroutes.ledger;

import com.checkoutroutes.ledger.PaymentAttempt.Integration;
import java.time.OffsetDateTime;

/** What the ledger needs to open an attempt; the request JSON is stored so every retry sends identical bytes. */
public record NewAttempt(
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
        OffsetDateTime expiresAt,
        String requestJson) {
}
