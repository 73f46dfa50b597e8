package com.checkoutroutes.continuation;

/** Whom a channel message before any payment (the choice of methods) goes to: the order and the buyer's device. */
public record Recipient(String orderId, int attemptNo, String terminalType, String osType, String integration) {
}
