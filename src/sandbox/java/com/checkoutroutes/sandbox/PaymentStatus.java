package com.checkoutroutes.sandbox;

/** inquiryPayment's paymentStatus values. PENDING = the buyer paid, the method has not confirmed yet. */
public enum PaymentStatus {
    PROCESSING, PENDING, SUCCESS, FAIL, CANCELLED;

    public boolean isOpen() {
        return this == PROCESSING || this == PENDING;
    }
}
