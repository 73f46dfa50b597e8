package com.checkoutroutes.refunds;

import com.checkoutroutes.deadletter.RejectedOrderException;

/** An order event asking for a refund that cannot be made; it goes to the dead-letter topic, never to Antom. */
public class RefusedRefundException extends RejectedOrderException {

    public RefusedRefundException(String code, String field, String message) {
        super(code, field, message);
    }

    @Override
    public String deadLetterType() {
        return "ORDER_EVENT_REFUSED";
    }
}
