package com.checkoutroutes.cardcapture;

/**
 * An event from the order system about an order's fulfilment (topic checkout.topics.order-events):
 * ORDER_READY_TO_SHIP, ORDER_SHIPPED, ORDER_CANCELLED or RISK_FLAGGED (ORDER_RETURNED is read by the refunds flow).
 */
public record OrderEvent(String eventId, String type, String orderId, String reason) {
}
