package com.checkoutroutes.notifications;

import com.fasterxml.jackson.databind.JsonNode;

/** The parts of a notifyPayment / notifyCapture body that the ledger acts on. */
public record AntomNotification(
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

    public static AntomNotification from(JsonNode body) {
        String type = text(body, "notifyType");
        JsonNode amount = CAPTURE_RESULT.equals(type) ? body.path("captureAmount") : body.path("paymentAmount");
        return new AntomNotification(type, text(body.path("result"), "resultStatus"),
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
