package com.checkoutroutes.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One delivery attempt of a notification. {@code kind} is NORMAL, DUPLICATE or STALE (out-of-order injection);
 * {@code httpStatus} is 0 when the merchant could not be reached.
 */
public record NotificationAttempt(String notificationId, String notifyType, String kind, String paymentRequestId,
                                  String url, int attempt, String time, int httpStatus, boolean acknowledged,
                                  boolean signatureCorrupted, String error) {

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("notificationId", notificationId);
        node.put("notifyType", notifyType);
        node.put("kind", kind);
        node.put("paymentRequestId", paymentRequestId);
        node.put("url", url);
        node.put("attempt", attempt);
        node.put("time", time);
        node.put("httpStatus", httpStatus);
        node.put("acknowledged", acknowledged);
        node.put("signatureCorrupted", signatureCorrupted);
        node.put("error", error);
        return node;
    }
}
