package com.checkoutroutes.shipment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The answer to "can order X ship?": SHIP only when exactly one payment succeeded, at the amount, confirmed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ShipmentDecision(String type, String orderId, String requestId, String decision, List<Reason> reasons,
        String paymentRequestId, String paymentId, String decidedAt) {

    public static final String SHIP = "SHIP";
    public static final String HOLD = "HOLD";

    /**
     * Why an order is held: NOT_PAID, PAYMENT_UNKNOWN, AMOUNT_MISMATCH, MULTIPLE_PAYMENTS, CARD_NOT_CAPTURED,
     * FLAGGED_BY_RECONCILIATION, FLAGGED (another recorded conflict), REFUNDED / PARTLY_REFUNDED (refunds, done or
     * on their way, cover all / part of the payment), CANCEL_IN_PROGRESS (a cancel of the payment may still reach
     * Antom), NOT_CONFIRMED (Antom could not be asked).
     */
    public record Reason(String code, String paymentRequestId, String detail) {
    }
}
