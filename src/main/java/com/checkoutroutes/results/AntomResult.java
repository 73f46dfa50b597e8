package com.checkoutroutes.results;

import com.checkoutroutes.ledger.PaymentState;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result learnt from Antom, by notification (notifyPayment / notifyCapture) or by inquiry (inquiryPayment): the
 * parts the ledger acts on.
 */
public record AntomResult(
        String notifyType,
        String resultStatus,
        String resultCode,
        String resultMessage,
        String paymentRequestId,
        String paymentId,
        String captureRequestId,
        String captureId,
        String currency,
        String amountValue) {

    public static final String PAYMENT_RESULT = "PAYMENT_RESULT";
    public static final String PAYMENT_PENDING = "PAYMENT_PENDING";
    public static final String CAPTURE_RESULT = "CAPTURE_RESULT";

    public static AntomResult from(JsonNode body) {
        String type = text(body, "notifyType");
        JsonNode amount = CAPTURE_RESULT.equals(type) ? body.path("captureAmount") : body.path("paymentAmount");
        return new AntomResult(type, text(body.path("result"), "resultStatus"),
                text(body.path("result"), "resultCode"), text(body.path("result"), "resultMessage"),
                text(body, "paymentRequestId"), text(body, "paymentId"), text(body, "captureRequestId"),
                text(body, "captureId"), text(amount, "currency"), text(amount, "value"));
    }

    /** Same content, same key: a resend of this notification is recognised whatever its request-time. */
    public String dedupeKey() {
        String subject = CAPTURE_RESULT.equals(notifyType) ? captureRequestId + "/" + paymentId
                : (paymentRequestId != null ? paymentRequestId : "") + "/" + paymentId;
        return notifyType + "|" + subject + "|" + resultStatus + "|" + resultCode;
    }

    /** What kind of result this is; null for a notifyType this service does not act on. */
    public PaymentState.Reported kind() {
        if (notifyType == null) {
            return null;
        }
        return switch (notifyType) {
            case PAYMENT_RESULT -> PaymentState.Reported.PAYMENT_RESULT;
            case PAYMENT_PENDING -> PaymentState.Reported.PAYMENT_PENDING;
            case CAPTURE_RESULT -> PaymentState.Reported.CAPTURE_RESULT;
            default -> null;
        };
    }

    public boolean isCapture() {
        return CAPTURE_RESULT.equals(notifyType);
    }

    public boolean succeeded() {
        return "S".equals(resultStatus);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
